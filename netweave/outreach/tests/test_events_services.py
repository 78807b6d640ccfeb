"""The events services: capacity and the waiting list, questions, time zones, check-in,
co-attendance ties and reminders."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.utils import timezone

from netweave.lib.testing import make_member
from netweave.outreach import events
from netweave.outreach.common import OutreachError
from netweave.outreach.models import Attendance, Event, Registration, RegistrationQuestion, Reminder
from netweave.outreach.tests.events_fixtures import (  # noqa: F401 (fixtures)
    make_event,
    members_fixture,
    network_fixture,
)
from netweave.people.models import Membership
from netweave.ties.models import Tie


def _register(event: Event, n: int, **kw: Any) -> Registration:
    return events.register(event, name=f"Guest {n}", email=f"guest{n}@example.org", **kw)


class CapacityAndWaitlistTests:
    def test_it_waitlists_once_the_places_are_taken(self, network: Any) -> None:
        event = make_event(network, capacity=2)
        first, second, third = (_register(event, n) for n in range(3))
        assert [first.status, second.status] == ["registered", "registered"]
        assert third.status == Registration.Status.WAITLISTED
        assert events.places_left(event) == 0

    def test_cancelling_promotes_the_first_on_the_waiting_list(
        self, network: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
    ) -> None:
        event = make_event(network, capacity=1)
        with django_capture_on_commit_callbacks(execute=True):
            holder = _register(event, 1)
            waiting_first = _register(event, 2)
            waiting_second = _register(event, 3)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            events.cancel_registration(holder)
        waiting_first.refresh_from_db()
        waiting_second.refresh_from_db()
        assert waiting_first.status == Registration.Status.REGISTERED
        assert waiting_second.status == Registration.Status.WAITLISTED
        assert [m.to for m in mailoutbox] == [["guest2@example.org"]]
        assert "A place opened up" in mailoutbox[0].subject

    def test_a_full_event_without_a_waiting_list_refuses(self, network: Any) -> None:
        event = make_event(network, capacity=1, waitlist=False)
        _register(event, 1)
        with pytest.raises(OutreachError, match="full"):
            _register(event, 2)

    def test_the_same_address_cannot_register_twice(self, network: Any) -> None:
        event = make_event(network)
        events.register(event, name="Ana", email="Ana@Example.org")
        with pytest.raises(OutreachError, match="already registered"):
            events.register(event, name="Ana again", email="ana@example.org")

    def test_a_cancelled_registrant_may_register_again(self, network: Any) -> None:
        event = make_event(network)
        first = events.register(event, name="Ana", email="ana@example.org")
        events.cancel_registration(first)
        again = events.register(event, name="Ana", email="ana@example.org")
        assert again.pk == first.pk and again.status == Registration.Status.REGISTERED

    def test_registering_again_gives_a_new_key_so_old_email_links_do_not_open_it(
        self, network: Any
    ) -> None:
        event = make_event(network)
        first = events.register(event, name="Ana", email="ana@example.org")
        old_token = first.token
        events.cancel_registration(first)
        again = events.register(event, name="Someone else", email="ana@example.org")
        assert again.token != old_token
        assert not Registration.objects.filter(token=old_token).exists()

    @pytest.mark.parametrize(
        ("change", "reason"),
        [
            ({"status": Event.Status.CANCELLED}, "cancelled"),
            ({"registration_open": False}, "closed"),
            ({"starts_at": timezone.now() - timedelta(days=2)}, "over"),
        ],
    )
    def test_it_refuses_closed_cancelled_and_past_events(
        self, network: Any, change: dict[str, Any], reason: str
    ) -> None:
        event = make_event(network)
        if "starts_at" in change:
            Event.objects.filter(pk=event.pk).update(
                starts_at=change["starts_at"], ends_at=change["starts_at"] + timedelta(hours=1)
            )
        else:
            Event.objects.filter(pk=event.pk).update(**change)
        event.refresh_from_db()
        with pytest.raises(OutreachError, match=reason):
            _register(event, 1)

    def test_more_capacity_moves_the_waiting_list_up(self, network: Any) -> None:
        event = make_event(network, capacity=1)
        _register(event, 1)
        waiting = _register(event, 2)
        events.event_update(event=event, capacity=2)
        waiting.refresh_from_db()
        assert waiting.status == Registration.Status.REGISTERED


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_the_capacity() -> None:
    from netweave.lib.testing import make_network

    event = make_event(make_network(), capacity=3, waitlist=True)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for attempt in range(20):
                try:
                    _register(event, n)
                    return
                except Exception as error:  # SQLite: "database is locked" under contention
                    if "locked" not in str(error) or attempt == 19:
                        raise
                    threading.Event().wait(0.05)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connections: none left open

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert len(statuses) == 8
    assert statuses.count(Registration.Status.REGISTERED) == 3
    assert statuses.count(Registration.Status.WAITLISTED) == 5


class QuestionTests:
    def test_required_questions_need_an_answer_of_their_kind(self, network: Any) -> None:
        event = make_event(network)
        diet = events.question_save(
            event=event,
            label="Diet",
            kind=RegistrationQuestion.Kind.CHOICE,
            choices=["None", "Vegetarian"],
            required=True,
        )
        topics = events.question_save(
            event=event,
            label="Topics",
            kind=RegistrationQuestion.Kind.CHOICES,
            choices=["HIV", "TB", "Malaria"],
        )
        travel = events.question_save(
            event=event, label="Travel grant?", kind=RegistrationQuestion.Kind.YES_NO
        )
        with pytest.raises(OutreachError, match="Diet"):
            _register(event, 1, answers={})
        with pytest.raises(OutreachError, match="choose among"):
            _register(event, 1, answers={str(diet.pk): "Vegan"})
        with pytest.raises(OutreachError, match="yes or no"):
            _register(event, 1, answers={str(diet.pk): "None", str(travel.pk): "maybe"})
        registration = _register(
            event,
            1,
            answers={
                str(diet.pk): "Vegetarian",
                str(topics.pk): ["HIV", "TB"],
                str(travel.pk): "yes",
            },
        )
        assert registration.answers == {
            str(diet.pk): "Vegetarian",
            str(topics.pk): ["HIV", "TB"],
            str(travel.pk): True,
        }

    def test_a_choice_question_needs_two_choices(self, network: Any) -> None:
        with pytest.raises(OutreachError, match="two choices"):
            events.question_save(
                event=make_event(network), label="Pick", kind="choice", choices=["Only"]
            )

    def test_answers_to_unknown_questions_are_refused(self, network: Any) -> None:
        with pytest.raises(OutreachError, match="not questions"):
            _register(make_event(network), 1, answers={"999": "x"})


class TimeZoneTests:
    @pytest.mark.parametrize(("day", "utc_hour"), [("2030-01-15", 8), ("2030-07-15", 7)])
    def test_nine_in_paris_is_stored_in_utc_by_the_season(
        self, network: Any, day: str, utc_hour: int
    ) -> None:
        local = datetime.fromisoformat(f"{day}T09:00")
        event = events.event_create(
            network=network,
            by=None,
            title="Paris call",
            starts_at=events.local_to_utc(local, "Europe/Paris"),
            ends_at=events.local_to_utc(local + timedelta(hours=1), "Europe/Paris"),
            time_zone="Europe/Paris",
        )
        event.refresh_from_db()
        assert event.starts_at.astimezone(ZoneInfo("UTC")).hour == utc_hour
        back = events.in_event_zone(event)
        assert (back.hour, back.minute, back.tzinfo.key) == (9, 0, "Europe/Paris")  # type: ignore[union-attr]

    def test_an_unknown_zone_is_refused_with_an_example(self, network: Any) -> None:
        with pytest.raises(OutreachError, match="Europe/Paris"):
            make_event(network, time_zone="Mars/Olympus")


class CheckInTests:
    def test_the_code_works_in_any_case_only_within_the_window(self, network: Any) -> None:
        event = make_event(network)
        registration = _register(event, 1)
        code = event.checkin_code.lower()
        too_early = event.starts_at - timedelta(hours=1, minutes=5)
        with pytest.raises(OutreachError, match="Check-in is open"):
            events.self_check_in(
                event, code=code, registration_token=registration.token, now=too_early
            )
        too_late = event.ends_at + timedelta(hours=1, minutes=5)
        with pytest.raises(OutreachError, match="Check-in is open"):
            events.self_check_in(
                event, code=code, registration_token=registration.token, now=too_late
            )
        on_time = event.starts_at - timedelta(minutes=50)
        with pytest.raises(OutreachError, match="not the event's check-in code"):
            events.self_check_in(
                event, code="WRONG1", registration_token=registration.token, now=on_time
            )
        attendance = events.self_check_in(
            event, code=f"  {code} ", registration_token=registration.token, now=on_time
        )
        assert attendance.method == Attendance.Method.SELF
        again = events.self_check_in(
            event, code=code, registration_token=registration.token, now=on_time
        )
        assert again.pk == attendance.pk and Attendance.objects.count() == 1

    def test_without_a_registration_check_in_is_refused(self, network: Any, members: Any) -> None:
        event = make_event(network)
        with pytest.raises(OutreachError, match="register first"):
            events.self_check_in(
                event,
                code=event.checkin_code,
                person=members[0],
                now=event.starts_at,
            )


class CoAttendanceTests:
    def test_attending_members_are_tied_on_the_map(self, network: Any, members: Any) -> None:
        event = make_event(network)
        regs = [events.register(event, name=p.name, email=p.email, person=p) for p in members[:3]]
        guest = _register(event, 9)  # not a member: no tie
        for registration in [*regs, guest]:
            events.check_in(registration, method=Attendance.Method.COORDINATOR)
        events.check_in(regs[0], method=Attendance.Method.COORDINATOR)  # twice: no new tie
        ties = Tie.objects.filter(network=network, kind=Tie.Kind.CO_ATTENDED)
        pairs = {frozenset((t.source_id, t.target_id)) for t in ties}
        ids = [p.pk for p in members[:3]]
        assert pairs == {
            frozenset((ids[0], ids[1])),
            frozenset((ids[0], ids[2])),
            frozenset((ids[1], ids[2])),
        }
        assert {t.evidence for t in ties} == {f"event:{event.pk}"}
        assert {t.provenance for t in ties} == {Tie.Provenance.OBSERVED}

    def test_a_lapsed_member_gets_no_tie(self, network: Any, members: Any) -> None:
        event = make_event(network)
        a, b = members[:2]
        Membership.objects.filter(network=network, person=b).update(status="lapsed")
        for person in (a, b):
            registration = events.register(
                event, name=person.name, email=person.email, person=person
            )
            events.check_in(registration, method=Attendance.Method.COORDINATOR)
        assert not Tie.objects.filter(network=network, kind=Tie.Kind.CO_ATTENDED).exists()

    def test_a_big_event_ties_only_co_presenters(self, network: Any, monkeypatch: Any) -> None:
        monkeypatch.setattr(events, "CO_ATTENDANCE_LIMIT", 2)
        event = make_event(network)
        people = [make_member(network, name=f"P{i}", email=f"p{i}@example.org") for i in range(4)]
        events.session_save(
            event=event,
            title="Panel",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            presenters=[people[2], people[3]],
        )
        for person in people:
            registration = events.register(
                event, name=person.name, email=person.email, person=person
            )
            events.check_in(registration, method=Attendance.Method.COORDINATOR)
        pairs = {
            frozenset((t.source_id, t.target_id))
            for t in Tie.objects.filter(network=network, kind=Tie.Kind.CO_ATTENDED)
        }
        # p0-p1 (small), p2 with p0 and p1 (still under the limit), then p3 only with p2.
        assert frozenset((people[3].pk, people[2].pk)) in pairs
        assert frozenset((people[3].pk, people[0].pk)) not in pairs
        assert frozenset((people[3].pk, people[1].pk)) not in pairs


class ReminderTests:
    def test_each_reminder_goes_once(
        self, network: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
    ) -> None:
        event = make_event(network, starts_in=timedelta(hours=20))
        _register(event, 1)
        _register(event, 2)
        cancelled = _register(event, 3)
        events.cancel_registration(cancelled)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert events.send_due_reminders() == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert events.send_due_reminders() == 0
        assert sorted(m.to[0] for m in mailoutbox) == ["guest1@example.org", "guest2@example.org"]
        assert all(m.subject.startswith("Tomorrow") for m in mailoutbox)
        # Within the hour: the hour reminder, once.
        soon = event.starts_at - timedelta(minutes=30)
        with django_capture_on_commit_callbacks(execute=True):
            assert events.send_due_reminders(now=soon) == 2
            assert events.send_due_reminders(now=soon) == 0
        assert Reminder.objects.filter(kind="hour").count() == 2
        assert len(mailoutbox) == 4

    def test_nothing_is_due_for_far_away_draft_or_cancelled_events(self, network: Any) -> None:
        _register(make_event(network, starts_in=timedelta(days=3)), 1)
        cancelled = make_event(network, starts_in=timedelta(hours=5))
        _register(cancelled, 2)
        events.event_cancel(event=cancelled)
        assert events.send_due_reminders() == 0

    def test_the_task_sends_what_is_due(self, network: Any) -> None:
        event = make_event(network, starts_in=timedelta(minutes=40))
        _register(event, 1)
        result = events.send_event_reminders.enqueue()
        assert result.return_value == 1
