"""The events pages: who sees which event, the forms, the organisers' tools."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from netweave.lib.testing import Cast
from netweave.outreach import events
from netweave.outreach.models import Attendance, Event, Proposal, Registration
from netweave.outreach.tests.events_fixtures import make_event


def _client(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


def _list(cast: Cast, role: str, **params: str) -> str:
    url = reverse("outreach:events", args=[cast.network.slug])
    response = _client(cast, role).get(url, params)
    assert response.status_code == 200
    return response.content.decode()


class EventListTests:
    def test_each_viewer_sees_the_events_they_may(self, cast: Cast) -> None:
        make_event(cast.network, title="Open webinar")
        make_event(cast.network, title="Members call", visibility="members")
        make_event(cast.network, title="Planning draft", status="draft")
        anonymous = _list(cast, "anonymous")
        assert "Open webinar" in anonymous and "Members call" not in anonymous
        observer = _list(cast, "observer")
        assert "Members call" in observer and "Planning draft" not in observer
        assert "Planning draft" in _list(cast, "steward")

    def test_times_show_the_event_zone_and_a_machine_readable_instant(self, cast: Cast) -> None:
        starts = datetime(2031, 1, 15, 8, 0, tzinfo=ZoneInfo("UTC"))
        make_event(cast.network, starts_at=starts, time_zone="Europe/Paris")
        page = _list(cast, "anonymous")
        assert 'datetime="2031-01-15T08:00:00+00:00"' in page
        assert "09:00" in page and "Europe/Paris" in page
        assert "Intl.DateTimeFormat" in page  # the viewer's own zone, added by the browser

    def test_past_events_and_kinds_filter(self, cast: Cast) -> None:
        make_event(
            cast.network, title="Old workshop", kind="workshop", starts_in=timedelta(days=-10)
        )
        make_event(cast.network, title="Next call", kind="call")
        assert "Old workshop" not in _list(cast, "member")
        assert "Old workshop" in _list(cast, "member", when="past")
        assert "Next call" not in _list(cast, "member", kind="webinar")

    def test_the_empty_list_says_what_to_do_next(self, cast: Cast) -> None:
        assert "No upcoming event" in _list(cast, "member")
        assert "New event" in _list(cast, "coordinator")

    def test_the_list_does_not_query_per_event(
        self, cast: Cast, django_assert_max_num_queries: Any
    ) -> None:
        for n in range(15):
            event = make_event(cast.network, title=f"Event {n}", capacity=5)
            events.register(event, name="A", email=f"a{n}@example.org")
        client = _client(cast, "member")
        url = reverse("outreach:events", args=[cast.network.slug])
        client.get(url)
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


class RegistrationPageTests:
    def test_a_visitor_registers_and_cancels_from_their_own_page(self, cast: Cast) -> None:
        event = make_event(cast.network, capacity=1)
        client = Client()
        url = reverse("outreach:event_register", args=[cast.network.slug, event.pk])
        response = client.post(url, {"name": "Vera Visitor", "email": "vera@example.org"})
        registration = Registration.objects.get(email="vera@example.org")
        own = reverse("outreach_public:registration", args=[registration.token])
        assert response["Location"] == own
        page = client.get(own).content.decode()
        assert "Vera Visitor" in page and "Cancel my registration" in page
        assert client.get(own).status_code == 200  # GET never cancels
        registration.refresh_from_db()
        assert registration.status == Registration.Status.REGISTERED
        client.post(own, {"cancel": "1"})
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CANCELLED

    def test_a_required_question_without_answer_shows_the_form_again(self, cast: Cast) -> None:
        event = make_event(cast.network)
        events.question_save(event=event, label="Your organization", kind="text", required=True)
        url = reverse("outreach:event_register", args=[cast.network.slug, event.pk])
        response = _client(cast, "member").post(url, {})
        assert response.status_code == 400
        assert "Your organization" in response.content.decode()
        assert not Registration.objects.exists()

    def test_a_member_registers_as_themself(self, cast: Cast) -> None:
        event = make_event(cast.network)
        url = reverse("outreach:event_register", args=[cast.network.slug, event.pk])
        _client(cast, "member").post(url, {})
        registration = Registration.objects.get()
        assert registration.person == cast.member and registration.email == cast.member.email
        page = _client(cast, "member").get(
            reverse("outreach:event", args=[cast.network.slug, event.pk])
        )
        assert "You are registered." in page.content.decode()

    def test_the_ics_download_is_a_calendar(self, cast: Cast) -> None:
        event = make_event(cast.network)
        registration = events.register(event, name="A", email="a@example.org")
        response = Client().get(
            reverse("outreach_public:registration_ics", args=[registration.token])
        )
        assert response["Content-Type"].startswith("text/calendar")
        assert b"BEGIN:VCALENDAR" in response.content


class SelfCheckInPageTests:
    def test_a_registrant_checks_in_with_the_token_and_the_code(self, cast: Cast) -> None:
        event = make_event(cast.network, starts_in=timedelta(minutes=10))
        registration = events.register(event, name="A", email="a@example.org")
        url = reverse("outreach:event_checkin", args=[cast.network.slug, event.pk])
        client = Client()
        assert (
            f'value="{registration.token}"'
            in client.get(url, {"token": registration.token}).content.decode()
        )
        wrong = client.post(url, {"code": "NOPE12", "token": registration.token})
        assert wrong.status_code == 400 and "check-in code" in wrong.content.decode()
        right = client.post(url, {"code": event.checkin_code.lower(), "token": registration.token})
        assert right.status_code == 302
        assert Attendance.objects.filter(registration=registration, method="self").exists()


class OrganiserTests:
    def test_a_steward_creates_an_event_in_paris_time(self, cast: Cast) -> None:
        response = _client(cast, "steward").post(
            reverse("outreach:event_new", args=[cast.network.slug]),
            {
                "title": "Winter call",
                "kind": "call",
                "starts_at": "2031-01-15T09:00",
                "ends_at": "2031-01-15T10:00",
                "time_zone": "Europe/Paris",
                "visibility": "public",
                "status": "published",
                "registration_open": "on",
                "waitlist": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        event = Event.objects.get(title="Winter call")
        assert event.starts_at == datetime(2031, 1, 15, 8, 0, tzinfo=ZoneInfo("UTC"))
        edit = _client(cast, "steward").get(
            reverse("outreach:event_edit", args=[cast.network.slug, event.pk])
        )
        assert 'value="2031-01-15T09:00"' in edit.content.decode()

    def test_an_unknown_time_zone_is_a_form_error(self, cast: Cast) -> None:
        response = _client(cast, "coordinator").post(
            reverse("outreach:event_new", args=[cast.network.slug]),
            {
                "title": "X",
                "kind": "call",
                "starts_at": "2031-01-15T09:00",
                "ends_at": "2031-01-15T10:00",
                "time_zone": "Mars/Base",
                "visibility": "public",
                "status": "published",
            },
        )
        assert response.status_code == 400
        assert not Event.objects.exists()

    def test_the_csv_neutralizes_formulas(self, cast: Cast) -> None:
        event = make_event(cast.network)
        question = events.question_save(event=event, label="=Org", kind="text")
        events.register(
            event,
            name='=HYPERLINK("http://evil")',
            email="x@example.org",
            answers={str(question.pk): "+1 555"},
        )
        response = _client(cast, "steward").get(
            reverse("outreach:event_registrations_csv", args=[cast.network.slug, event.pk])
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][-1] == "'=Org"
        assert rows[1][0] == '\'=HYPERLINK("http://evil")'
        assert rows[1][-1] == "'+1 555"

    def test_the_htmx_check_in_button_replaces_the_row(self, cast: Cast) -> None:
        event = make_event(cast.network)
        registration = events.register(
            event, name=cast.member.name, email=cast.member.email, person=cast.member
        )
        response = _client(cast, "steward").post(
            reverse(
                "outreach:event_registration_checkin",
                args=[cast.network.slug, event.pk, registration.pk],
            ),
            HTTP_HX_REQUEST="true",
        )
        body = response.content.decode()
        assert response.status_code == 200 and body.startswith("<tr")
        assert "Checked in" in body
        page = (
            _client(cast, "steward")
            .get(reverse("outreach:event_registrations", args=[cast.network.slug, event.pk]))
            .content.decode()
        )
        assert event.checkin_code in page

    def test_accepting_a_proposal_makes_the_proposer_a_presenter(
        self, cast: Cast, mailoutbox: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        event = make_event(cast.network, accepts_proposals=True)
        _client(cast, "member").post(
            reverse("outreach:event_propose", args=[cast.network.slug, event.pk]),
            {"title": "Our trial results", "abstract": "What we learned."},
        )
        proposal = Proposal.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            _client(cast, "coordinator").post(
                reverse(
                    "outreach:event_proposal_decide",
                    args=[cast.network.slug, event.pk, proposal.pk],
                ),
                {"decision": "accept", "note": "Welcome aboard"},
            )
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.ACCEPTED
        assert list(proposal.session.presenters.all()) == [cast.member]  # type: ignore[union-attr]
        assert [m.to for m in mailoutbox] == [[cast.member.email]]
        assert "Welcome aboard" in mailoutbox[0].body
        detail = Client().get(reverse("outreach:event", args=[cast.network.slug, event.pk]))
        assert "Our trial results" in detail.content.decode()

    def test_the_registrations_page_does_not_query_per_registration(
        self, cast: Cast, django_assert_max_num_queries: Any
    ) -> None:
        event = make_event(cast.network)
        events.question_save(event=event, label="Organization", kind="text")
        for n in range(30):
            registration = events.register(event, name=f"G{n}", email=f"g{n}@example.org")
            if n % 2:
                events.check_in(registration, method="coordinator")
        client = _client(cast, "steward")
        url = reverse("outreach:event_registrations", args=[cast.network.slug, event.pk])
        client.get(url)
        with django_assert_max_num_queries(14):
            page = client.get(url).content.decode()
        assert page.count("Checked in") >= 15

    @pytest.mark.parametrize("role", ["member", "observer"])
    def test_members_do_not_run_events(self, cast: Cast, role: str) -> None:
        event = make_event(cast.network)
        url = reverse("outreach:event_registrations", args=[cast.network.slug, event.pk])
        assert _client(cast, role).get(url).status_code == 403
