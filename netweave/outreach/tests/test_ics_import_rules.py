"""How each part of a VEVENT becomes an event, the import page and the `import_ics` command."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from netweave.lib.testing import Cast
from netweave.outreach.calendars import calendar_ics
from netweave.outreach.ics_import import import_calendar
from netweave.outreach.models import Event
from netweave.outreach.tests.calendars_fixtures import make_event, paris_event

pytestmark = pytest.mark.django_db


def login(client: Client, person: Any) -> None:
    assert person.user is not None
    client.force_login(person.user)


UTC = UTC


def ics(*vevents: str, extra: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{v.strip()}\r\nEND:VEVENT\r\n" for v in vevents)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{extra}{body}END:VCALENDAR\r\n"
    return text.replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode()


def one(network: Any, data: bytes, **options: Any) -> tuple[Any, Event | None]:
    report = import_calendar(network, data, commit=True, **options)
    assert not report.refused, report.refusal
    row = report.rows[0]
    assert row.event_id is not None
    return row, Event.objects.filter(pk=row.event_id).first()


class TestTimes:
    def test_an_iana_zone_is_kept(self, cast: Cast) -> None:
        row, event = one(
            cast.network,
            ics(
                "UID:a\nSUMMARY:Paris\nDTSTART;TZID=Europe/Paris:20310612T090000\n"
                "DTEND;TZID=Europe/Paris:20310612T103000"
            ),
        )
        assert event is not None and row.action == "created"
        assert event.starts_at == datetime(2031, 6, 12, 7, 0, tzinfo=UTC)
        assert event.ends_at == datetime(2031, 6, 12, 8, 30, tzinfo=UTC)
        assert event.time_zone == "Europe/Paris"

    def test_a_windows_zone_name_is_mapped_to_iana(self, cast: Cast) -> None:
        row, event = one(
            cast.network,
            ics("UID:w\nSUMMARY:W\nDTSTART;TZID=W. Europe Standard Time:20310115T090000"),
        )
        assert event is not None and event.time_zone == "Europe/Berlin"
        assert event.starts_at == datetime(2031, 1, 15, 8, 0, tzinfo=UTC)
        assert any("Windows time zone" in note for note in row.notes)

    def test_an_unknown_zone_without_vtimezone_skips_the_event(self, cast: Cast) -> None:
        report = import_calendar(
            cast.network, ics("UID:x\nSUMMARY:X\nDTSTART;TZID=Mars/Olympus:20310115T090000")
        )
        assert report.skipped == 1
        assert "Mars/Olympus" in report.rows[0].notes[0]

    def test_an_unknown_zone_with_its_vtimezone_is_converted(self, cast: Cast) -> None:
        vtimezone = (
            "BEGIN:VTIMEZONE\nTZID:Office time\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
            "TZOFFSETFROM:+0300\nTZOFFSETTO:+0300\nEND:STANDARD\nEND:VTIMEZONE\n"
        )
        row, event = one(
            cast.network,
            ics("UID:o\nSUMMARY:O\nDTSTART;TZID=Office time:20310115T090000", extra=vtimezone),
        )
        assert event is not None
        assert event.starts_at == datetime(2031, 1, 15, 6, 0, tzinfo=UTC)
        assert event.time_zone == "UTC"
        assert any("VTIMEZONE" in note for note in row.notes)

    def test_floating_times_are_read_in_the_chosen_zone(self, cast: Cast) -> None:
        row, event = one(
            cast.network,
            ics("UID:f\nSUMMARY:F\nDTSTART:20310115T090000\nDTEND:20310115T100000"),
            zone="America/New_York",
        )
        assert event is not None
        assert event.starts_at == datetime(2031, 1, 15, 14, 0, tzinfo=UTC)
        assert event.time_zone == "America/New_York"
        assert any("Floating" in note for note in row.notes)

    def test_an_all_day_event_lasts_the_whole_day_in_the_chosen_zone(self, cast: Cast) -> None:
        row, event = one(
            cast.network,
            ics("UID:d\nSUMMARY:Day\nDTSTART;VALUE=DATE:20310115\nDTEND;VALUE=DATE:20310117"),
            zone="Europe/Paris",
        )
        paris = ZoneInfo("Europe/Paris")
        assert event is not None
        assert event.starts_at == datetime(2031, 1, 15, tzinfo=paris)
        assert event.ends_at == datetime(2031, 1, 17, tzinfo=paris)
        assert any("All-day" in note for note in row.notes)

    def test_duration_or_one_hour_stands_for_a_missing_end(self, cast: Cast) -> None:
        report = import_calendar(
            cast.network,
            ics(
                "UID:1\nSUMMARY:D\nDTSTART:20310115T090000Z\nDURATION:PT45M",
                "UID:2\nSUMMARY:N\nDTSTART:20310115T090000Z",
            ),
            commit=True,
        )
        by_uid = {e.source_uid: e for e in Event.objects.filter(network=cast.network)}
        assert by_uid["1"].ends_at - by_uid["1"].starts_at == timedelta(minutes=45)
        assert by_uid["2"].ends_at - by_uid["2"].starts_at == timedelta(hours=1)
        assert any("one hour" in note for note in report.rows[1].notes)

    def test_an_event_without_start_or_ending_before_it_starts_is_skipped(self, cast: Cast) -> None:
        report = import_calendar(
            cast.network,
            ics(
                "UID:1\nSUMMARY:No start",
                "UID:2\nSUMMARY:Backwards\nDTSTART:20310115T090000Z\nDTEND:20310115T080000Z",
            ),
        )
        assert [row.action for row in report.rows] == ["skipped", "skipped"]
        assert "DTSTART" in report.rows[0].notes[0]
        assert "ends before" in report.rows[1].notes[0]


class TestFields:
    def test_summary_location_url_and_categories_fill_the_event(self, cast: Cast) -> None:
        _row, event = one(
            cast.network,
            ics(
                "UID:1\nSUMMARY:Big meeting\nDESCRIPTION:Agenda\\, notes\nDTSTART:20310115T090000Z\n"
                "LOCATION:Town hall\nURL:https://meet.example.org/big\nCATEGORIES:Work,Conference"
            ),
            kind=Event.Kind.CALL,
        )
        assert event is not None
        assert (event.title, event.description) == ("Big meeting", "Agenda, notes")
        assert (event.venue, event.online_url) == ("Town hall", "https://meet.example.org/big")
        assert event.kind == Event.Kind.CONFERENCE
        assert event.visibility == Event.Visibility.MEMBERS

    def test_a_location_that_is_a_link_is_the_online_link(self, cast: Cast) -> None:
        _row, event = one(
            cast.network,
            ics("UID:1\nSUMMARY:Call\nDTSTART:20310115T090000Z\nLOCATION:https://x.example.org/r"),
            visibility=Event.Visibility.PUBLIC,
        )
        assert event is not None
        assert (event.venue, event.online_url) == ("", "https://x.example.org/r")
        assert event.kind == Event.Kind.WEBINAR and event.visibility == Event.Visibility.PUBLIC

    def test_an_untitled_event_is_named_so_and_a_private_one_stays_with_members(
        self, cast: Cast
    ) -> None:
        row, event = one(
            cast.network,
            ics("UID:1\nDTSTART:20310115T090000Z\nCLASS:PRIVATE\nSTATUS:CANCELLED"),
            visibility=Event.Visibility.PUBLIC,
        )
        assert event is not None and event.title == "(untitled event)"
        assert event.visibility == Event.Visibility.MEMBERS
        assert event.status == Event.Status.CANCELLED
        assert any("No title" in note for note in row.notes)
        assert any("private" in note for note in row.notes)

    def test_a_recurring_event_imports_its_first_occurrence_once(self, cast: Cast) -> None:
        row, event = one(
            cast.network,
            ics("UID:r\nSUMMARY:Weekly\nDTSTART:20310106T090000Z\nRRULE:FREQ=WEEKLY;COUNT=10"),
        )
        assert Event.objects.filter(network=cast.network).count() == 1
        assert event is not None and event.starts_at == datetime(2031, 1, 6, 9, tzinfo=UTC)
        assert any("first occurrence" in note for note in row.notes)


class TestReimportAndDryRun:
    DATA = ics("UID:same\nSUMMARY:First title\nDTSTART:20310115T090000Z")

    def test_a_dry_run_writes_nothing(self, cast: Cast) -> None:
        report = import_calendar(cast.network, self.DATA)
        assert report.created == 1 and not report.committed
        assert not Event.objects.filter(network=cast.network).exists()

    def test_importing_again_updates_the_event_and_raises_its_sequence(self, cast: Cast) -> None:
        import_calendar(cast.network, self.DATA, commit=True)
        event = Event.objects.get(network=cast.network)
        changed = self.DATA.replace(b"First title", b"New title")
        report = import_calendar(cast.network, changed, commit=True)
        assert report.updated == 1 and report.created == 0
        event.refresh_from_db()
        assert (event.title, event.sequence) == ("New title", 1)
        same = import_calendar(cast.network, changed, commit=True)
        assert same.updated == 1 and "nothing changed" in same.rows[0].notes[-1]
        event.refresh_from_db()
        assert event.sequence == 1

    def test_the_same_uid_in_another_network_is_another_event(self, cast: Cast) -> None:
        import_calendar(cast.network, self.DATA, commit=True)
        report = import_calendar(cast.other_network, self.DATA, commit=True)
        assert report.created == 1

    def test_what_netweave_writes_imports_back_as_the_same_events(self, cast: Cast) -> None:
        events = [paris_event(cast.network), make_event(cast.network, venue="Online room")]
        data = calendar_ics(events, name="Cast")
        report = import_calendar(cast.other_network, data, commit=True)
        assert report.created == 2
        for event in events:
            copy = Event.objects.get(network=cast.other_network, source_uid=event.uid)
            assert (copy.starts_at, copy.ends_at) == (event.starts_at, event.ends_at)
            assert (copy.title, copy.time_zone, copy.kind) == (
                event.title,
                event.time_zone,
                event.kind,
            )


class TestRefusals:
    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (b"", "empty"),
            (b"hello, this is a CSV,file\n1,2,3\n", "not an iCalendar file"),
            (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n", "cut short"),
            (b"[1, 2", "not valid JSON"),
            (
                ics().replace(
                    b"END:VCALENDAR", b"BEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR"
                ),
                "no events, only to-dos",
            ),
            (b"X" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
        ],
        ids=["empty", "csv", "cut", "bad-json", "todos-only", "too-big"],
    )
    def test_an_unreadable_file_is_refused_with_its_reason(
        self, cast: Cast, data: bytes, words: str
    ) -> None:
        report = import_calendar(cast.network, data, commit=True)
        assert report.refused and words in report.refusal
        assert not Event.objects.exists()

    def test_jcal_is_imported(self, cast: Cast) -> None:
        jcal = [
            "vcalendar",
            [["version", {}, "text", "2.0"], ["prodid", {}, "text", "-//x//EN"]],
            [
                [
                    "vevent",
                    [
                        ["uid", {}, "text", "j1"],
                        ["summary", {}, "text", "From jCal"],
                        ["dtstart", {}, "date-time", "2031-01-15T09:00:00Z"],
                    ],
                    [],
                ]
            ],
        ]
        report = import_calendar(cast.network, json.dumps(jcal).encode(), commit=True)
        assert report.created == 1
        assert Event.objects.get(source_uid="j1").title == "From jCal"


class TestThePageAndTheCommand:
    def url(self, cast: Cast) -> str:
        return reverse("outreach:events_import", kwargs={"network_slug": cast.network.slug})

    def test_a_steward_checks_then_imports_a_file(self, cast: Cast, client: Client) -> None:
        login(client, cast.steward)
        assert client.get(self.url(cast)).status_code == 200
        upload = SimpleUploadedFile(
            "team.ics", TestReimportAndDryRun.DATA, content_type="text/calendar"
        )
        checked = client.post(
            self.url(cast),
            {"file": upload, "zone": "UTC", "kind": "workshop", "visibility": "public"},
        )
        assert checked.status_code == 200
        assert b"First title" in checked.content
        assert not Event.objects.exists()
        payload = checked.context["payload"]
        done = client.post(self.url(cast), {"payload": payload})
        assert done.status_code == 302
        event = Event.objects.get(network=cast.network)
        assert (event.kind, event.visibility, event.created_by) == (
            "workshop",
            "public",
            cast.steward,
        )

    def test_a_refused_file_shows_the_reason(self, cast: Cast, client: Client) -> None:
        login(client, cast.coordinator)
        upload = SimpleUploadedFile("notes.ics", b"not a calendar at all")
        response = client.post(
            self.url(cast),
            {"file": upload, "zone": "UTC", "kind": "webinar", "visibility": "members"},
        )
        assert response.status_code == 400
        assert "not an iCalendar file" in response.content.decode()
        assert "payload" not in response.context

    def test_a_tampered_or_foreign_payload_is_refused(self, cast: Cast, client: Client) -> None:
        login(client, cast.coordinator)
        response = client.post(self.url(cast), {"payload": "forged:payload"}, follow=True)
        assert "Upload the file again" in response.content.decode()
        assert not Event.objects.exists()

    def test_members_may_not_import(self, cast: Cast, client: Client) -> None:
        login(client, cast.member)
        assert client.get(self.url(cast)).status_code == 403

    def test_the_command_dry_runs_then_commits(
        self, cast: Cast, tmp_path: Path, capsys: Any
    ) -> None:
        path = tmp_path / "team.ics"
        path.write_bytes(TestReimportAndDryRun.DATA)
        call_command("import_ics", str(path), network=cast.network.slug)
        assert "1 created" in capsys.readouterr().out
        assert not Event.objects.exists()
        call_command(
            "import_ics", str(path), network=cast.network.slug, commit=True, zone="Europe/Paris"
        )
        assert Event.objects.filter(network=cast.network, source_uid="same").count() == 1

    def test_the_command_refuses_bad_arguments_plainly(self, cast: Cast, tmp_path: Path) -> None:
        path = tmp_path / "bad.ics"
        path.write_bytes(b"nothing")
        with pytest.raises(CommandError, match="No network"):
            call_command("import_ics", str(path), network="nowhere")
        with pytest.raises(CommandError, match="IANA"):
            call_command("import_ics", str(path), network=cast.network.slug, zone="Mars/Base")
        with pytest.raises(CommandError, match="refused"):
            call_command("import_ics", str(path), network=cast.network.slug)
