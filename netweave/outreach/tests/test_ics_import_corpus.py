"""THE CORPUS TEST: every real calendar of /work/shared/data/formats/icalendar goes through the
import (a dry run, rolled back): each either yields events or is refused with a reason; none raises.

Cross-check with icalendar itself: where it parses a file, every VEVENT it finds is accounted
for (created + updated + skipped); the 4 files the corpus README lists as raising are refused."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from django.db import transaction
from icalendar import Calendar

from netweave.lib.testing import make_network
from netweave.outreach.ics_import import import_calendar, vevents_of
from netweave.outreach.models import Event

CORPUS = Path("/work/shared/data/formats/icalendar")
FILES = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".ics", ".jcal"))
RAISE_IN_ICALENDAR = {
    "icalendar_pkg/calendars/fuzz_testcase_invalid_month.ics",
    "icalendar_pkg/calendars/fuzz_testcase_vtimezone_lone_cr.ics",
    "icalendar_pkg/calendars/issue_104_broken_calendar.ics",
    "icalendar_pkg/calendars/parsing_error_in_UTC_offset.ics",
}

pytestmark = pytest.mark.django_db


def _name(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def test_the_corpus_is_all_there() -> None:
    names = {_name(p) for p in FILES}
    assert len([n for n in names if n.startswith("icalendar_pkg/") and n.endswith(".ics")]) == 163
    assert len([n for n in names if n.startswith("vobject/")]) == 10
    assert len([n for n in names if n.endswith(".jcal")]) == 5
    assert names >= RAISE_IN_ICALENDAR


def _vevents_in_icalendar(path: Path) -> int | None:
    """How many VEVENTs icalendar itself finds, or None when it cannot read the file."""
    data = path.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if path.suffix == ".jcal":
                return len(vevents_of([Calendar.from_jcal(data.decode())]))
            return len(vevents_of(list(Calendar.from_ical(data, multiple=True))))
        except Exception:
            return None


@pytest.mark.parametrize("path", FILES, ids=_name)
def test_each_real_calendar_is_imported_or_refused_with_a_reason(path: Path) -> None:
    network = make_network()
    with transaction.atomic():
        report = import_calendar(network, path.read_bytes(), commit=False)
        transaction.set_rollback(True)
    assert Event.objects.filter(network=network).count() == 0  # a dry run writes nothing
    expected = _vevents_in_icalendar(path)
    if report.refused:
        assert report.refusal.strip()
        assert report.rows == []
        assert not expected, f"icalendar finds {expected} VEVENT(s) in a refused file"
    else:
        assert report.rows, "a file that is not refused has at least one event"
        assert expected is not None, "a file icalendar cannot read must be refused"
        assert report.created + report.updated + report.skipped == expected
        for row in report.rows:
            assert row.action in ("created", "updated", "skipped")
            if row.skipped:
                assert row.notes and all(note.strip() for note in row.notes)
            else:
                assert row.starts_at is not None and row.ends_at is not None
                assert row.starts_at.utcoffset() is not None
                assert row.ends_at >= row.starts_at
    if _name(path) in RAISE_IN_ICALENDAR:
        assert report.refused


def test_the_corpus_yields_events_from_most_files() -> None:
    """Guards against a refusal that swallows everything: most files that hold events import."""
    network = make_network()
    imported = 0
    for path in FILES:
        with transaction.atomic():
            report = import_calendar(network, path.read_bytes(), commit=False)
            transaction.set_rollback(True)
        imported += report.created > 0
    assert imported >= 80
