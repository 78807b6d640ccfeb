"""What the events emails look like, received by a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
from django.utils import translation

from netweave.outreach import events
from netweave.outreach.tests.events_fixtures import (  # noqa: F401 (fixtures)
    make_event,
    network_fixture,
)


def _ics_parts(message: Any) -> list[Any]:
    return [part for part in message.message.walk() if part.get_content_type() == "text/calendar"]


class ConfirmationEmailTests:
    def test_it_attaches_a_parseable_invitation_and_a_manage_link(
        self, network: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(
            network, title="Data sharing webinar", online_url="https://meet.example.org/x"
        )
        with django_capture_on_commit_callbacks(execute=True):
            registration = events.register(event, name="Ana Silva", email="ana@example.org")
        received = smtp_server.wait_for(to="ana@example.org", subject_contains="registered")
        assert received.subject == "You are registered: Data sharing webinar"
        assert "Ana Silva" in received.text and "Europe/Paris" in received.text
        manage = f"/o/registrations/{registration.token}/"
        assert any(manage in link for link in received.links())
        assert "<html" in received.html and "Data sharing webinar" in received.html
        (part,) = _ics_parts(received)
        assert part.get_filename() == "invite.ics"
        assert part.get_param("method") == "REQUEST"
        calendar = icalendar.Calendar.from_ical(part.get_content())
        assert str(calendar["METHOD"]) == "REQUEST"
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["UID"]) == event.uid
        start = vevent.decoded("DTSTART")
        assert start == event.starts_at.replace(microsecond=0)
        assert str(start.tzinfo) == "Europe/Paris"
        registration.refresh_from_db()
        assert registration.confirmation_sent_at is not None

    def test_the_waiting_list_confirmation_has_no_invitation(
        self, network: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(network, capacity=1)
        with django_capture_on_commit_callbacks(execute=True):
            events.register(event, name="First", email="first@example.org")
            events.register(event, name="Second", email="second@example.org")
        received = smtp_server.wait_for(to="second@example.org", subject_contains="waiting list")
        assert "waiting list" in received.text
        assert _ics_parts(received) == []

    def test_it_speaks_the_registrants_language(
        self, network: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(network, title="Atelier")
        with django_capture_on_commit_callbacks(execute=True):
            events.register(event, name="Léa", email="lea@example.org", language="fr")
        received = smtp_server.wait_for(to="lea@example.org")
        with translation.override("fr"):
            expected = translation.gettext("You are registered: %(event)s") % {"event": "Atelier"}
        assert received.subject == expected
        assert translation.get_language() == "en"


class CancellationEmailTests:
    def test_cancelling_the_event_sends_a_cancel_ics(
        self, network: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(network)
        events.register(event, name="Ana", email="ana@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            events.event_cancel(event=event)
        received = smtp_server.wait_for(to="ana@example.org", subject_contains="Cancelled")
        (part,) = _ics_parts(received)
        calendar = icalendar.Calendar.from_ical(part.get_content())
        assert str(calendar["METHOD"]) == "CANCEL"
        (vevent,) = calendar.walk("VEVENT")
        assert str(vevent["STATUS"]) == "CANCELLED"


class ReminderEmailTests:
    def test_the_hour_reminder_has_the_link_and_the_check_in_address(
        self, network: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(
            network, starts_in=timedelta(minutes=45), online_url="https://meet.example.org/call"
        )
        registration = events.register(event, name="Ana", email="ana@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            assert events.send_due_reminders() == 1
        received = smtp_server.wait_for(to="ana@example.org", subject_contains="within the hour")
        assert "https://meet.example.org/call" in received.text
        assert any(f"check-in/?token={registration.token}" in link for link in received.links())


class UpdateEmailTests:
    def test_moving_the_event_sends_the_new_invitation_with_a_higher_sequence(
        self, network: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(network)
        events.register(event, name="Ana", email="ana@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            events.event_update(event=event, capacity=50)  # no calendar change: no email
            events.event_update(
                event=event,
                starts_at=event.starts_at + timedelta(days=1),
                ends_at=event.ends_at + timedelta(days=1),
            )
        received = smtp_server.wait_for(to="ana@example.org", subject_contains="Changed")
        assert len(smtp_server.messages_to("ana@example.org")) == 1
        (part,) = _ics_parts(received)
        (vevent,) = icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")
        assert vevent.decoded("SEQUENCE") == 1
        assert str(vevent["UID"]) == event.uid


class OnlineLinkPrivacyTests:
    def test_the_waiting_list_confirmation_does_not_give_away_the_online_link(
        self, network: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(network, capacity=1, online_url="https://meet.example.org/secret")
        with django_capture_on_commit_callbacks(execute=True):
            events.register(event, name="First", email="first@example.org")
            events.register(event, name="Second", email="second@example.org")
        waiting = smtp_server.wait_for(to="second@example.org", subject_contains="waiting list")
        assert "meet.example.org/secret" not in waiting.text + waiting.html
        registered = smtp_server.wait_for(to="first@example.org", subject_contains="registered")
        assert "https://meet.example.org/secret" in registered.text
        with django_capture_on_commit_callbacks(execute=True):
            events.event_update(
                event=event,
                starts_at=event.starts_at + timedelta(days=1),
                ends_at=event.ends_at + timedelta(days=1),
            )
        moved_first = smtp_server.wait_for(to="first@example.org", subject_contains="Changed")
        assert "https://meet.example.org/secret" in moved_first.text
        assert len(_ics_parts(moved_first)) == 1
        assert len(smtp_server.messages_to("second@example.org")) == 1  # no change mail
