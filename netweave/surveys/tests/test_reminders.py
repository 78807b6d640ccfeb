"""Reminder emails: to members who have not submitted, with the link, at most once per
`reminder_days`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from netweave.surveys.models import SurveyWave
from netweave.surveys.services import (
    response_submit,
    survey_create,
    wave_close,
    wave_create,
    wave_open,
    wave_send_reminders,
)
from netweave.surveys.tasks import send_wave_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):  # type: ignore[no-untyped-def]
    survey = survey_create(network=cast.network, title="Ties 2026", created_by=cast.coordinator)
    return wave_create(survey=survey, closes_at=timezone.now() + timedelta(days=20))


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


class WaveRemindersTests:
    def test_opening_a_wave_reminds_every_participant_once_with_the_link(
        self, cast, draft, settings, django_capture_on_commit_callbacks
    ) -> None:
        settings.NETWEAVE_BASE_URL = "https://weave.example.org"
        with django_capture_on_commit_callbacks(execute=True):
            wave_open(wave=draft, actor=cast.coordinator)
        # Coordinator, steward and member take part; the observer and outsiders do not.
        assert recipients() == ["cora@example.org", "mina@example.org", "stella@example.org"]
        message = mail.outbox[0]
        link = "https://weave.example.org" + reverse("surveys:answer", args=["cast", draft.pk])
        assert "Ties 2026" in message.subject
        assert link in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html" and f'href="{link}"' in html
        draft.refresh_from_db()
        assert draft.last_reminder_at is not None

    def test_running_the_task_again_soon_sends_nothing(self, cast, draft) -> None:
        wave_open(wave=draft, actor=cast.coordinator)
        assert send_wave_reminders.call(draft.pk) == 3
        assert send_wave_reminders.call(draft.pk) == 0
        assert len(mail.outbox) == 3

    def test_after_reminder_days_only_those_who_have_not_submitted_hear_again(
        self, cast, draft
    ) -> None:
        wave_open(wave=draft, actor=cast.coordinator)
        wave_send_reminders(wave=draft)
        response_submit(wave=draft, respondent=cast.member)
        mail.outbox.clear()
        later = timezone.now() + timedelta(days=draft.reminder_days, minutes=1)
        assert wave_send_reminders(wave=draft, now=later - timedelta(days=1)) == 0
        assert wave_send_reminders(wave=draft, now=later) == 2
        assert recipients() == ["cora@example.org", "stella@example.org"]

    def test_a_closed_or_missing_wave_sends_nothing(self, cast, draft) -> None:
        wave_open(wave=draft, actor=cast.coordinator)
        wave_close(wave=draft, actor=cast.coordinator)
        assert send_wave_reminders.call(draft.pk) == 0
        assert send_wave_reminders.call(draft.pk + 1000) == 0
        assert mail.outbox == []
        assert SurveyWave.objects.get(pk=draft.pk).last_reminder_at is None

    def test_reminders_reach_a_real_smtp_server(self, cast, draft, smtp_server) -> None:
        wave_open(wave=draft, actor=cast.coordinator)
        assert wave_send_reminders(wave=draft) == 3
        received = smtp_server.wait_for(to="mina@example.org", subject_contains="Ties 2026")
        assert any(f"/n/cast/surveys/{draft.pk}/answer/" in link for link in received.links())
        assert "Mina Member" in received.text and "Mina Member" in received.html


@pytest.mark.django_db
class ReminderScheduleTests:
    def test_an_open_wave_books_its_next_reminder_on_the_database_backend(self, cast, settings):
        from datetime import timedelta

        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        from netweave.surveys.services import survey_create, wave_create
        from netweave.surveys.services import wave_open as open_wave
        from netweave.surveys.tasks import schedule_next_reminder

        # django-tasks resets its backends when TASKS changes (setting_changed)
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        survey = survey_create(network=cast.network, title="Ties", created_by=None)
        wave = wave_create(survey=survey, reminder_days=5)
        open_wave(wave=wave, actor=None)
        wave.refresh_from_db()
        before = DBTaskResult.objects.count()
        assert schedule_next_reminder(wave) is True
        booked = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert DBTaskResult.objects.count() == before + 1
        assert booked.args_kwargs["args"] == [wave.pk]
        expected = timezone.now() + timedelta(days=5)
        assert abs((booked.run_after - expected).total_seconds()) < 60

    def test_a_closed_wave_books_nothing(self, cast, settings):
        from netweave.surveys.services import survey_create, wave_create
        from netweave.surveys.tasks import schedule_next_reminder

        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        survey = survey_create(network=cast.network, title="Ties", created_by=None)
        wave = wave_create(survey=survey)  # a draft, never opened
        assert schedule_next_reminder(wave) is False
