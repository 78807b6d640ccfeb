"""Importing events from an iCalendar file (.ics, or jCal JSON), read with the `icalendar` package.

`import_calendar` turns each VEVENT into an event of the network, or skips it with a reason, and
always answers with a report: a file that cannot be read is refused with one sentence naming the
problem, never an exception. The writes happen in one transaction; a dry run (`commit=False`)
makes them and rolls them back, so its table says exactly what importing would do.

Decisions:
- identity: an event's `source_uid` is the file's UID (+ RECURRENCE-ID for a changed occurrence),
  so importing the same file again updates instead of duplicating; without a UID, a hash of the
  title and start stands in for it;
- recurring events (RRULE/RDATE): the first occurrence only, with a note saying so;
- times: an IANA TZID as is; a Windows zone name ("W. Europe Standard Time") through icalendar's
  own Windows-to-Olson table; any other zone through the VTIMEZONE in the file (times converted,
  the event kept in UTC); else the event is skipped. Floating times and all-day dates are read in
  the zone chosen on the form (default UTC); all-day events last 00:00-24:00 there;
- end: DTEND, else DURATION, else one day for an all-day event and one hour otherwise;
- kind: from CATEGORIES when one names a kind, else the kind chosen on the form; visibility: the
  one chosen on the form (members only by default), members only whatever was chosen when the
  file says CLASS:PRIVATE or CONFIDENTIAL; STATUS:CANCELLED imports a cancelled event."""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from icalendar import Calendar, Component
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from netweave.networks.models import Network
from netweave.outreach.models import Event
from netweave.people.models import Person

MAX_BYTES = 2 * 1024 * 1024
DEFAULT_LENGTH = timedelta(hours=1)
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class IcsRow:
    """What became of one VEVENT of the file."""

    number: int  # 1-based position of the VEVENT in the file
    uid: str
    title: str
    action: str  # "created" | "updated" | "skipped"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str = ""
    notes: list[str] = field(default_factory=list)
    event_id: int | None = None

    @property
    def skipped(self) -> bool:
        return self.action == "skipped"


@dataclass
class IcsImportReport:
    committed: bool = False
    refusal: str = ""  # set when the whole file was refused
    rows: list[IcsRow] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.refusal)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    def summary(self) -> str:
        if self.refused:
            return self.refusal
        return _("%(created)d to create, %(updated)d to update, %(skipped)d skipped") % {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
        }


class SkipEvent(Exception):
    """This VEVENT cannot become an event; the message says why."""


# --- reading the file ----------------------------------------------------------------------------


def _parse(data: bytes) -> list[Component]:
    """The file's top-level components; ValueError with a plain reason when it cannot be read."""
    if not data or not data.strip():
        raise ValueError(_("The file is empty."))
    head = data.lstrip()[:1]
    if head in (b"[", b"{"):
        try:
            jcal = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(
                _("This looks like jCal (JSON) but is not valid JSON: %s") % error
            ) from error
        try:
            return [Calendar.from_jcal(jcal)]
        except Exception as error:  # icalendar raises JCalParsingError and others
            raise ValueError(_("This jCal (JSON) calendar cannot be read: %s") % error) from error
    try:
        parsed = Calendar.from_ical(data, multiple=True)
    except Exception as error:  # icalendar raises ValueError, KeyError, IndexError...
        raise ValueError(
            _("This is not an iCalendar file we can read (%(error)s). Export it again as .ics.")
            % {"error": str(error) or error.__class__.__name__}
        ) from error
    components: list[Component] = list(parsed) if isinstance(parsed, list) else [parsed]
    if not components:
        raise ValueError(
            _(
                "This file holds no complete calendar (BEGIN:VCALENDAR … END:VCALENDAR); "
                "it may have been cut short. Export it again as .ics."
            )
        )
    return components


def vevents_of(components: list[Component]) -> list[Component]:
    """Every VEVENT of the file, in order (top-level ones included)."""
    found: list[Component] = []
    for component in components:
        found.extend(component.walk("VEVENT"))
    return found


_KIND_NAMES = {
    "VTODO": "to-dos",
    "VJOURNAL": "journal entries",
    "VFREEBUSY": "free/busy information",
    "VTIMEZONE": "time zones",
    "VAVAILABILITY": "availability",
    "VALARM": "alarms",
}


def _no_events_reason(components: list[Component]) -> str:
    kinds = []
    for component in components:
        for sub in component.walk():
            name = _KIND_NAMES.get(sub.name or "")
            if name and name not in kinds:
                kinds.append(name)
    if kinds:
        return _("This calendar has no events, only %(kinds)s.") % {"kinds": ", ".join(kinds)}
    return _("This calendar has no events.")


# --- one VEVENT ----------------------------------------------------------------------------------


def _text(component: Component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).replace("\x00", "").strip()


def _zone_name(tzinfo: Any) -> str | None:
    key = getattr(tzinfo, "key", None)
    if isinstance(key, str) and key in available_timezones():
        return key
    if tzinfo is UTC or str(tzinfo) in ("UTC", "utc"):
        return "UTC"
    zone = getattr(tzinfo, "zone", None)  # pytz
    if isinstance(zone, str) and zone in available_timezones():
        return zone
    return None


def _moment(
    component: Component, name: str, *, zone: ZoneInfo, notes: list[str]
) -> tuple[datetime | date, str | None]:
    """The property as an aware datetime (or a date), and the IANA zone it was written in."""
    prop = component.get(name)
    if isinstance(prop, list):  # a property the file repeats: the first one counts
        note = _("It has %(count)d %(name)s; the first one is used.") % {
            "count": len(prop),
            "name": name,
        }
        notes.append(note)
        prop = prop[0] if prop else None
    value = prop.dt if prop is not None else None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
            if tzid:
                raise SkipEvent(
                    _(
                        "Its time zone %(tzid)r is not in the IANA database, not a Windows "
                        "zone name, and the file has no VTIMEZONE for it."
                    )
                    % {"tzid": str(tzid)}
                )
            note = _("Floating time (no time zone): read as %(zone)s.") % {"zone": zone.key}
            if note not in notes:
                notes.append(note)
            return value.replace(tzinfo=zone), zone.key
        tzid = str(prop.params.get("TZID", "")) if hasattr(prop, "params") else ""
        known = _zone_name(value.tzinfo)
        if tzid and known and tzid.strip("/") != known:
            note = _("Time zone %(tzid)r read as %(zone)s.") % {"tzid": tzid, "zone": known}
            if tzid in WINDOWS_TO_OLSON:
                note = _("Windows time zone %(tzid)r read as %(zone)s.") % {
                    "tzid": tzid,
                    "zone": known,
                }
            if note not in notes:
                notes.append(note)
        if known is None:
            note = _(
                "Time zone %(tzid)r is not in the IANA database: converted with the file's "
                "own VTIMEZONE and kept in UTC."
            ) % {"tzid": tzid or str(value.tzinfo)}
            if note not in notes:
                notes.append(note)
        return value, known
    if isinstance(value, date):
        return value, None
    if name == "DTSTART":
        raise SkipEvent(_("It has no start (DTSTART)."))
    raise SkipEvent(_("Its %(name)s cannot be read.") % {"name": name})


def _kind(component: Component, default: str) -> str:
    values = {kind.value: kind.value for kind in Event.Kind}
    values.update({str(kind.label).lower(): kind.value for kind in Event.Kind})
    categories = component.get("CATEGORIES")
    if categories is None:
        return default
    for item in categories if isinstance(categories, list) else [categories]:
        for category in getattr(item, "cats", [item]):
            found = values.get(str(category).strip().lower())
            if found:
                return found
    return default


def _is_url(value: str) -> bool:
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return len(value) <= 1000


def _source_uid(component: Component, title: str, start: datetime | date) -> str:
    uid = _text(component, "UID")
    recurrence = component.get("RECURRENCE-ID")
    if not uid:
        uid = "nouid-" + hashlib.sha256(f"{title}|{start.isoformat()}".encode()).hexdigest()[:32]
    if isinstance(recurrence, list):
        recurrence = recurrence[0]
    if recurrence is not None:
        uid = f"{uid}|{recurrence.dt.isoformat()}"
    if len(uid) > 255:
        uid = "sha256-" + hashlib.sha256(uid.encode()).hexdigest()
    return uid


def _row_fields(
    component: Component, *, zone: ZoneInfo, kind: str, visibility: str, notes: list[str]
) -> dict[str, Any]:
    title = _text(component, "SUMMARY")
    if not title:
        title = _("(untitled event)")
        notes.append(_("No title (SUMMARY): named “(untitled event)”."))
    if len(title) > 200:
        title = title[:199] + "…"
        notes.append(_("Title shortened to 200 characters."))
    if component.get("DTSTART") is None:
        raise SkipEvent(_("It has no start (DTSTART)."))
    start, start_zone = _moment(component, "DTSTART", zone=zone, notes=notes)
    end: datetime | date | None = None
    if component.get("DTEND") is not None:
        end, _end_zone = _moment(component, "DTEND", zone=zone, notes=notes)
    elif component.get("DURATION") is not None:
        duration_prop: Any = component["DURATION"]
        if isinstance(duration_prop, list):
            duration_prop = duration_prop[0]
        duration = duration_prop.dt
        if not isinstance(duration, timedelta):
            raise SkipEvent(_("Its DURATION cannot be read."))
        end = start + duration
        notes.append(_("No end (DTEND): the DURATION gives it."))
    all_day = not isinstance(start, datetime)
    if all_day:
        assert isinstance(start, date)
        day_end = end if isinstance(end, date) and not isinstance(end, datetime) else None
        starts_at = datetime.combine(start, datetime.min.time(), tzinfo=zone)
        last = day_end if day_end and day_end > start else start + timedelta(days=1)
        ends_at = datetime.combine(last, datetime.min.time(), tzinfo=zone)
        time_zone = zone.key
        notes.append(_("All-day event: imported as 00:00–24:00 in %(zone)s.") % {"zone": zone.key})
    else:
        assert isinstance(start, datetime)
        starts_at = start
        time_zone = start_zone or "UTC"
        if isinstance(end, datetime):
            ends_at = end
        elif isinstance(end, date):  # a date end with a timed start: the end of that day
            ends_at = datetime.combine(end, datetime.min.time(), tzinfo=start.tzinfo)
        else:
            ends_at = starts_at + DEFAULT_LENGTH
            notes.append(_("No end (DTEND or DURATION): one hour long."))
    if ends_at < starts_at:
        raise SkipEvent(_("It ends before it starts."))
    if component.get("RRULE") is not None or component.get("RDATE") is not None:
        notes.append(_("Recurring event: only the first occurrence is imported."))
    if component.get("RECURRENCE-ID") is not None:
        notes.append(_("A changed occurrence of a recurring event: imported on its own."))

    location = _text(component, "LOCATION")
    url = _text(component, "URL")
    online_url, venue = "", ""
    if location and _is_url(location):
        online_url = location
    elif location:
        venue = location[:300]
    if url and _is_url(url) and not online_url:
        online_url = url
    classification = _text(component, "CLASS").upper()
    if classification in ("PRIVATE", "CONFIDENTIAL") and visibility != Event.Visibility.MEMBERS:
        visibility = Event.Visibility.MEMBERS
        notes.append(_("Marked private in the file: members only."))
    status = (
        Event.Status.CANCELLED
        if _text(component, "STATUS").upper() == "CANCELLED"
        else Event.Status.PUBLISHED
    )
    return {
        "title": title,
        "description": _text(component, "DESCRIPTION"),
        "starts_at": starts_at.astimezone(UTC),
        "ends_at": ends_at.astimezone(UTC),
        "time_zone": time_zone,
        "online_url": online_url,
        "venue": venue,
        "kind": _kind(component, kind),
        "visibility": visibility,
        "status": status,
        "_start": start,
    }


# --- the import ----------------------------------------------------------------------------------


def import_calendar(
    network: Network,
    data: bytes,
    *,
    by: Person | None = None,
    commit: bool = False,
    zone: str = "UTC",
    kind: str = Event.Kind.WEBINAR,
    visibility: str = Event.Visibility.MEMBERS,
) -> IcsImportReport:
    """Import the events of `data` into `network` (see the module's docstring). With
    `commit=False` nothing is kept: the report says what importing would do."""
    report = IcsImportReport(committed=commit)
    if len(data) > MAX_BYTES:
        report.refusal = _("The file is larger than 2 MB; split it or export fewer events.")
        return report
    local_zone = ZoneInfo(zone)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            components = _parse(data)
        except ValueError as error:
            report.refusal = str(error)
            return report
        vevents = vevents_of(components)
        if not vevents:
            report.refusal = _no_events_reason(components)
            return report
        with transaction.atomic():
            seen: set[str] = set()
            for number, component in enumerate(vevents, start=1):
                report.rows.append(
                    _import_one(
                        network,
                        component,
                        number=number,
                        by=by,
                        zone=local_zone,
                        kind=kind,
                        visibility=visibility,
                        seen=seen,
                    )
                )
            if not commit:
                transaction.set_rollback(True)
    return report


def _import_one(
    network: Network,
    component: Component,
    *,
    number: int,
    by: Person | None,
    zone: ZoneInfo,
    kind: str,
    visibility: str,
    seen: set[str],
) -> IcsRow:
    notes: list[str] = []
    uid = ""
    title = ""
    try:
        uid = _text(component, "UID")[:255]
        title = _text(component, "SUMMARY")[:200]
        values = _row_fields(component, zone=zone, kind=kind, visibility=visibility, notes=notes)
        title = values["title"]
        source_uid = _source_uid(component, title, values.pop("_start"))
        if source_uid in seen:
            raise SkipEvent(_("The file repeats this event (same UID); the first one was kept."))
        seen.add(source_uid)
        row = IcsRow(
            number=number,
            uid=uid,
            title=title,
            action="created",
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            time_zone=values["time_zone"],
            notes=notes,
        )
        with transaction.atomic():  # a savepoint: a row the database refuses leaves the rest
            existing = (
                Event.objects.select_for_update()
                .filter(network=network, source_uid=source_uid)
                .first()
            )
            if existing is None:
                event = Event.objects.create(
                    network=network, source_uid=source_uid, created_by=by, **values
                )
            else:
                changed = [k for k, v in values.items() if getattr(existing, k) != v]
                for key in changed:
                    setattr(existing, key, values[key])
                if changed:
                    existing.sequence += 1
                    existing.save()
                event = existing
                row.action = "updated"
                if not changed:
                    notes.append(_("Already imported; nothing changed."))
        row.event_id = event.pk
        return row
    except SkipEvent as reason:
        return IcsRow(number=number, uid=uid, title=title, action="skipped", notes=[str(reason)])
    except Exception as error:  # a value icalendar or the database cannot take: skip the row
        message = _("This event cannot be read (%(error)s).") % {
            "error": str(error) or error.__class__.__name__
        }
        return IcsRow(number=number, uid=uid, title=title, action="skipped", notes=[message])
