"""The events API: times with offsets and zones, registration, organisers' operations."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from netweave.lib.testing import Cast
from netweave.outreach import events
from netweave.outreach.models import Event, Registration
from netweave.outreach.tests.events_fixtures import make_event


def _client(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


class EventsApiTests:
    def test_an_event_at_nine_in_paris_round_trips_with_its_offset(self, cast: Cast) -> None:
        client = _client(cast, "steward")
        created = _post(
            client,
            f"/networks/{cast.network.slug}/events",
            {
                "title": "Summer call",
                "starts_at": "2031-07-15T09:00:00",
                "ends_at": "2031-07-15T10:00:00",
                "time_zone": "Europe/Paris",
                "capacity": 20,
            },
        )
        assert created.status_code == 201, created.content
        data = created.json()
        assert data["starts_at"] == "2031-07-15T09:00:00+02:00"
        assert data["time_zone"] == "Europe/Paris"
        event = Event.objects.get(pk=data["id"])
        assert event.starts_at.isoformat() == "2031-07-15T07:00:00+00:00"
        read = client.get(f"/api/v1/networks/{cast.network.slug}/events/{event.pk}").json()
        assert read["starts_at"] == data["starts_at"] and read["places_left"] == 20

    def test_an_unknown_zone_is_a_400_that_names_the_field(self, cast: Cast) -> None:
        response = _post(
            _client(cast, "coordinator"),
            f"/networks/{cast.network.slug}/events",
            {
                "title": "X",
                "starts_at": "2031-01-01T09:00",
                "ends_at": "2031-01-01T10:00",
                "time_zone": "Mars/Base",
            },
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("time_zone:")

    def test_an_end_before_the_start_is_a_400(self, cast: Cast) -> None:
        response = _post(
            _client(cast, "coordinator"),
            f"/networks/{cast.network.slug}/events",
            {"title": "X", "starts_at": "2031-01-01T09:00", "ends_at": "2031-01-01T08:00"},
        )
        assert response.status_code == 400 and "end after" in response.json()["error"]

    def test_anonymous_callers_list_public_events_only(self, cast: Cast) -> None:
        make_event(cast.network, title="Open")
        make_event(cast.network, title="Inner", visibility="members")
        titles = [
            item["title"]
            for item in Client().get(f"/api/v1/networks/{cast.network.slug}/events").json()["items"]
        ]
        assert titles == ["Open"]


class RegistrationApiTests:
    def test_an_anonymous_caller_registers_with_name_and_email(self, cast: Cast) -> None:
        event = make_event(cast.network, capacity=1, online_url="https://meet.example.org/x")
        path = f"/networks/{cast.network.slug}/events/{event.pk}/registrations"
        missing = _post(Client(), path, {})
        assert missing.status_code == 400 and "email" in missing.json()["error"]
        first = _post(Client(), path, {"name": "Ana", "email": "ana@example.org"})
        assert first.status_code == 201 and first.json()["status"] == "registered"
        second = _post(Client(), path, {"name": "Ben", "email": "ben@example.org"})
        assert second.json()["status"] == "waitlisted"
        again = _post(Client(), path, {"name": "Ana", "email": "ANA@example.org"})
        assert again.status_code == 409 and "already registered" in again.json()["error"]
        # The online link is for registrants only.
        read = Client().get(f"/api/v1/networks/{cast.network.slug}/events/{event.pk}").json()
        assert read["online_url"] == ""

    def test_a_member_registers_and_cancels_their_own(self, cast: Cast) -> None:
        event = make_event(cast.network, online_url="https://meet.example.org/x")
        client = _client(cast, "member")
        base = f"/networks/{cast.network.slug}/events/{event.pk}"
        created = _post(client, f"{base}/registrations", {"name": "ignored"})
        assert created.status_code == 201
        assert created.json()["email"] == cast.member.email
        assert client.get(f"/api/v1{base}").json()["online_url"] == "https://meet.example.org/x"
        other = _post(
            _client(cast, "observer"), f"{base}/registrations/{created.json()['id']}/cancel", {}
        )
        assert other.status_code == 403
        cancelled = _post(client, f"{base}/registrations/{created.json()['id']}/cancel", {})
        assert cancelled.json()["status"] == "cancelled"

    def test_wrong_answers_are_a_400(self, cast: Cast) -> None:
        event = make_event(cast.network)
        question = events.question_save(
            event=event, label="Diet", kind="choice", choices=["A", "B"], required=True
        )
        response = _post(
            _client(cast, "member"),
            f"/networks/{cast.network.slug}/events/{event.pk}/registrations",
            {"answers": {str(question.pk): "C"}},
        )
        assert response.status_code == 400 and "Diet" in response.json()["error"]

    def test_organisers_check_in_and_read_the_registrations(self, cast: Cast) -> None:
        event = make_event(cast.network)
        registration = events.register(
            event, name=cast.member.name, email=cast.member.email, person=cast.member
        )
        base = f"/networks/{cast.network.slug}/events/{event.pk}"
        client = _client(cast, "steward")
        checked = _post(client, f"{base}/registrations/{registration.pk}/check-in", {})
        assert checked.status_code == 200 and checked.json()["checked_in_at"]
        listed = client.get(f"/api/v1{base}/registrations").json()
        assert [row["email"] for row in listed["items"]] == [cast.member.email]
        assert _client(cast, "member").get(f"/api/v1{base}/registrations").status_code == 403

    def test_cancelling_the_event_cancels_registration(self, cast: Cast) -> None:
        event = make_event(cast.network)
        events.register(event, name="A", email="a@example.org")
        response = _post(
            _client(cast, "coordinator"),
            f"/networks/{cast.network.slug}/events/{event.pk}/cancel",
            {},
        )
        assert response.json()["status"] == "cancelled"
        later = _post(
            Client(),
            f"/networks/{cast.network.slug}/events/{event.pk}/registrations",
            {"name": "B", "email": "b@example.org"},
        )
        assert later.status_code == 409 and "cancelled" in later.json()["error"]
        assert Registration.objects.count() == 1


class ProposalApiTests:
    def test_a_member_proposes_and_an_organiser_accepts(self, cast: Cast) -> None:
        event = make_event(cast.network, accepts_proposals=True)
        base = f"/networks/{cast.network.slug}/events/{event.pk}"
        created = _post(_client(cast, "member"), f"{base}/proposals", {"title": "My study"})
        assert created.status_code == 201
        decided = _post(
            _client(cast, "steward"),
            f"{base}/proposals/{created.json()['id']}/decide",
            {"accept": True},
        )
        assert decided.json()["status"] == "accepted"
        sessions = Client().get(f"/api/v1{base}/sessions").json()
        assert sessions[0]["title"] == "My study"
        assert sessions[0]["presenters"] == [{"id": cast.member.pk, "name": cast.member.name}]

    def test_an_event_without_proposals_answers_409(self, cast: Cast) -> None:
        event = make_event(cast.network)
        response = _post(
            _client(cast, "member"),
            f"/networks/{cast.network.slug}/events/{event.pk}/proposals",
            {"title": "My study"},
        )
        assert response.status_code == 409
