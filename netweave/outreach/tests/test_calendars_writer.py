"""Every calendar NetWeave writes parses in `icalendar` and round-trips to the Event rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from netweave.lib.testing import Cast, make_network
from netweave.outreach.calendars import calendar_ics, event_ics
from netweave.outreach.models import Event, EventSession, OutreachSettings, Registration
from netweave.outreach.tests.calendars_fixtures import make_event, paris_event, register

pytestmark = pytest.mark.django_db


def parse(data: bytes) -> Any:
    calendar = Calendar.from_ical(data)
    assert isinstance(calendar, Calendar)
    return calendar


def assert_round_trips(data: bytes, events: list[Event], *, with_link: bool = False) -> Any:
    """Each VEVENT reads back as its Event row; writing what was read gives the same bytes. The
    online link is the location only for a registrant's calendar (`with_link`)."""
    calendar = parse(data)
    assert calendar.to_ical() == data
    by_uid = {str(v["UID"]): v for v in calendar.events}
    assert sorted(by_uid) == sorted(e.uid for e in events)
    for event in events:
        vevent = by_uid[event.uid]
        assert vevent.start == event.starts_at
        assert vevent.end == event.ends_at
        assert vevent.start.utcoffset() is not None  # aware, never floating
        assert str(vevent["SUMMARY"]) == event.title
        link = event.online_url if with_link else ""
        assert str(vevent.get("LOCATION", "")) == (event.venue or link)
        expected = "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"
        assert str(vevent["STATUS"]) == expected
        assert int(vevent["SEQUENCE"]) == event.sequence
        assert vevent.categories == [event.kind]
        tzid = vevent["DTSTART"].params.get("TZID")
        if event.time_zone == "UTC":
            assert tzid is None and vevent.start.tzinfo is not None
        else:
            assert tzid == event.time_zone
            assert tzid in {tz["TZID"] for tz in calendar.timezones}
    return calendar


def assert_well_formed(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert b"\n" not in data.replace(b"\r\n", b"")


class TestOneEvent:
    def test_an_event_in_paris_round_trips_with_its_zone_and_a_vtimezone(self, cast: Cast) -> None:
        event = paris_event(cast.network, sequence=3)
        data = event_ics(event)
        assert_well_formed(data)
        calendar = assert_round_trips(data, [event])
        vevent = calendar.events[0]
        assert vevent.start.hour == 9 and vevent.start.utcoffset() == timedelta(hours=2)
        assert str(calendar["PRODID"]) == "-//NetWeave//NetWeave//EN"
        assert str(calendar["VERSION"]) == "2.0"
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert "DTSTAMP" in vevent

    def test_a_utc_event_is_written_in_utc_without_a_vtimezone(self, cast: Cast) -> None:
        event = make_event(
            cast.network, online_url="https://meet.example.org/abc", kind=Event.Kind.CALL
        )
        data = event_ics(event)
        calendar = assert_round_trips(data, [event])
        assert calendar.timezones == []
        assert b"DTSTART:" in data and b"Z\r\n" in data

    def test_the_description_is_plain_text_with_the_event_page(self, cast: Cast) -> None:
        event = paris_event(cast.network)
        vevent = parse(event_ics(event)).events[0]
        description = str(vevent["DESCRIPTION"])
        assert "We meet to map ties." in description
        assert "**" not in description and "<" not in description
        assert str(vevent["URL"]).startswith("http")
        assert str(vevent["URL"]) in description

    def test_the_organizer_is_the_networks_sender(self, cast: Cast) -> None:
        OutreachSettings.objects.create(network=cast.network, from_email="news@cast.example.org")
        vevent = parse(event_ics(paris_event(cast.network))).events[0]
        assert str(vevent["ORGANIZER"]) == "mailto:news@cast.example.org"
        assert vevent["ORGANIZER"].params["CN"] == cast.network.name

    def test_an_invitation_names_the_registrant_as_attendee(self, cast: Cast) -> None:
        event = paris_event(cast.network)
        registration = register(event, cast.member)
        calendar = parse(event_ics(event, registration=registration, method="REQUEST"))
        assert str(calendar["METHOD"]) == "REQUEST"
        attendee = calendar.events[0]["ATTENDEE"]
        assert str(attendee) == f"mailto:{cast.member.email.lower()}"
        assert attendee.params["CN"] == cast.member.name
        assert attendee.params["PARTSTAT"] == "ACCEPTED"
        assert attendee.params["RSVP"] == "FALSE"

    def test_a_waitlisted_registrant_is_invited_tentatively(self, cast: Cast) -> None:
        event = paris_event(cast.network)
        registration = register(event, cast.member, Registration.Status.WAITLISTED)
        vevent = parse(event_ics(event, registration=registration, method="REQUEST")).events[0]
        assert str(vevent["STATUS"]) == "TENTATIVE"
        assert vevent["ATTENDEE"].params["PARTSTAT"] == "TENTATIVE"

    def test_a_cancellation_keeps_the_uid_and_says_cancelled(self, cast: Cast) -> None:
        event = paris_event(cast.network, status=Event.Status.CANCELLED, sequence=1)
        calendar = assert_round_trips(event_ics(event, method="CANCEL"), [event])
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(calendar.events[0]["STATUS"]) == "CANCELLED"

    def test_an_unknown_method_is_refused(self, cast: Cast) -> None:
        with pytest.raises(ValueError, match="method"):
            event_ics(paris_event(cast.network), method="COUNTER")

    def test_the_detailed_export_lists_sessions_with_stable_uids(self, cast: Cast) -> None:
        event = paris_event(cast.network)
        session = EventSession.objects.create(
            event=event,
            title="Mapping ties",
            starts_at=event.starts_at,
            ends_at=event.starts_at + timedelta(minutes=30),
            room="Salle 4",
        )
        session.presenters.add(cast.member)
        plain = parse(event_ics(event))
        detailed = parse(event_ics(event, with_sessions=True))
        assert len(plain.events) == 1
        uids = [str(v["UID"]) for v in detailed.events]
        assert uids == [event.uid, f"session-{session.pk}-{event.uid}"]
        again = parse(event_ics(event, with_sessions=True))
        assert [str(v["UID"]) for v in again.events] == uids
        vsession = detailed.events[1]
        assert vsession.start == session.starts_at
        assert str(vsession["LOCATION"]) == "Salle 4"
        assert cast.member.name in str(vsession["DESCRIPTION"])

    def test_the_same_event_gives_the_same_bytes(self, cast: Cast) -> None:
        event = paris_event(cast.network)
        assert event_ics(event) == event_ics(event)


class TestFeeds:
    def test_a_feed_round_trips_every_event_and_carries_refresh_hints(self, cast: Cast) -> None:
        events = [
            paris_event(cast.network),
            make_event(cast.network, title="Call", online_url="https://x.example.org/c"),
            make_event(
                cast.network,
                title="Conference in New York",
                time_zone="America/New_York",
                venue="NYC",
                starts_at=datetime(2031, 12, 1, 14, tzinfo=UTC),
                status=Event.Status.CANCELLED,
            ),
        ]
        data = calendar_ics(events, name="Cast Network", description="Public events")
        assert_well_formed(data)
        calendar = assert_round_trips(data, events)
        assert str(calendar["X-WR-CALNAME"]) == "Cast Network"
        assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
        assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
        assert "X-PUBLISHED-TTL" in calendar
        assert "X-WR-TIMEZONE" in calendar
        assert {tz["TZID"] for tz in calendar.timezones} == {"Europe/Paris", "America/New_York"}
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in data

    def test_an_empty_feed_is_still_a_valid_calendar(self, db: Any) -> None:
        data = calendar_ics([], name="Nothing yet")
        calendar = parse(data)
        assert calendar.events == []
        assert str(calendar["X-WR-CALNAME"]) == "Nothing yet"

    def test_events_of_two_networks_get_each_their_organizer(self, db: Any) -> None:
        first, second = make_network(name="First"), make_network(name="Second")
        events = [make_event(first), make_event(second)]
        calendar = parse(calendar_ics(events, name="Both"))
        assert {v["ORGANIZER"].params["CN"] for v in calendar.events} == {"First", "Second"}
