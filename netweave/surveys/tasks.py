"""Background work for relationship surveys: reminders. Tasks take ids and are idempotent."""

from __future__ import annotations

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
    return wave_send_reminders(wave=wave)


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
