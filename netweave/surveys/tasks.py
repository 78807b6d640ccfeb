"""Background work for relationship surveys: reminders. Tasks take ids and are idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task


@task()
def send_wave_reminders(wave_id: int) -> int:
    """Email the members who have not submitted the open wave; at most once per
    `reminder_days`. Returns how many reminders went out (0 when it was too soon)."""
    from netweave.surveys.models import SurveyWave
    from netweave.surveys.services import wave_send_reminders

    wave = SurveyWave.objects.select_related("survey", "network").filter(pk=wave_id).first()
    if wave is None:
        return 0
    sent = wave_send_reminders(wave=wave)
    schedule_next_reminder(wave)
    return sent


def schedule_next_reminder(wave) -> bool:  # type: ignore[no-untyped-def]
    """While the wave is open, the reminder task books its own next run `reminder_days` later
    (django-tasks' deferred tasks), so reminders need no separate scheduler. A backend that cannot
    defer (the immediate one of the tests) books nothing; `remind_open_waves` stays available for a
    daily cron."""
    from netweave.surveys.models import SurveyWave

    backend = send_wave_reminders.get_backend()
    if wave.status != SurveyWave.Status.OPEN or not wave.reminder_days:
        return False
    if not getattr(backend, "supports_defer", False):
        return False
    run_after = timezone.now() + timedelta(days=wave.reminder_days)
    send_wave_reminders.using(run_after=run_after).enqueue(wave.pk)
    return True


@task()
def remind_open_waves() -> int:
    """Remind for every open wave whose reminder is due (run it daily from a scheduler)."""
    from netweave.surveys.models import SurveyWave
    from netweave.surveys.services import wave_send_reminders

    sent = 0
    for wave in SurveyWave.objects.filter(status=SurveyWave.Status.OPEN).select_related(
        "survey", "network"
    ):
        sent += wave_send_reminders(wave=wave)
    return sent
