"""Member and organization import: CSV for people or organizations, vCard (.vcf) for people.

An import is checked first (a dry run: nothing is written) and the report says how many people or
organizations will be created, updated or left unchanged, and lists every bad row with its line
number, its column and what to fix. The real import checks everything again and writes all rows in
one transaction, or nothing at all when any row is bad.

`import_file()` does the work and is what the CLI (`manage.py import_people`) and the benchmarks
call; `import_job_create()` / `import_job_run()` run it in the background for the import pages,
with its progress stored on the `ImportJob`.

What an import does to what is already there:

- People are matched by email, case-insensitively; organizations by name, case-insensitively.
  An organization's name is never changed by an import (people's search text holds it).
- An empty cell never erases anything: it leaves the stored value as it is.
- Someone who has signed in owns their profile: for them an import only fills fields that are
  still empty (and adds an organization only when they have none), and never changes their map
  consent. People without a login are kept by the coordinators, so the file's values win.
- Memberships: a person with no membership in the network, or an invited, applied or lapsed one,
  becomes an active member, with the file's role (member when the cell is empty). An active member
  stays active; a role cell that differs changes their role, except that an import never changes
  a coordinator's role (that row is an error: do it on the member page, which keeps the network
  from losing its last coordinator). Someone who left or whose application was declined is not
  made a member again behind their back: their profile is updated and the report warns, so that
  a coordinator reinstates them deliberately.
- Every person created or updated gets one `MembershipEvent(kind=IMPORTED)` naming the file and
  the line, so the history shows where a change came from.
- A row without an email cannot be matched, so it is always created; a second row with the same
  name and organization and no email, or one that repeats a member of this network who has no
  email, is an error (importing the same file twice must not double people).
- The columns the directory export writes but an import cannot set (status, joined) are ignored,
  so that an exported file can be edited and imported back.

Speed (the target is 100,000 members in under a minute): every lookup is one query per 900 keys,
never one per row; rows are written with multi-row INSERTs (SQLite) or COPY (PostgreSQL) and
executemany UPDATEs, not bulk_create/bulk_update, whose per-object Python work alone would take
longer than the budget. Search texts are computed only for a real import, with
services.person_search_text, so the directory finds imported people as it finds everyone else.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar, cast

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from netweave.networks.models import Network
from netweave.people.csvio import decode_upload
from netweave.people.models import (
    Affiliation,
    ImportJob,
    Membership,
    MembershipEvent,
    Organization,
    Person,
    Role,
)
from netweave.people.services import PeopleError, normalize_tags, person_search_text

__all__ = [
    "KINDS",
    "ORGANIZATION_COLUMNS",
    "PEOPLE_COLUMNS",
    "VCARD_SUFFIXES",
    "ImportNotAllowed",
    "ImportReport",
    "RowError",
    "import_file",
    "import_job_commit",
    "import_job_create",
    "import_job_run",
]

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
T = TypeVar("T")

PEOPLE_COLUMNS = (
    "name", "email", "organization", "title", "country", "city", "languages", "expertise",
    "interests", "offers", "seeks", "bio", "role", "map_consent",
)  # fmt: skip
ORGANIZATION_COLUMNS = ("name", "kind", "country", "sector", "website", "description")
# Written by the directory export (csvio.EXPORT_COLUMNS) but not something an import sets.
IGNORED_COLUMNS = {"people": ("status", "joined"), "organizations": ()}
COLUMNS = {"people": PEOPLE_COLUMNS, "organizations": ORGANIZATION_COLUMNS}
KINDS = tuple(COLUMNS)
VCARD_SUFFIXES = (".vcf", ".vcard")
# Where each person field comes from in a vCard, to name the "column" of a problem.
VCARD_PROPERTIES = {
    "name": "FN", "email": "EMAIL", "organization": "ORG", "title": "TITLE", "country": "ADR",
    "city": "ADR", "bio": "NOTE", "links": "URL",
}  # fmt: skip

MAX_STORED_ERRORS = 1000  # a report in the database keeps this many; error_count says how many
PREVIEW_ROWS = 100
LOOKUP_CHUNK = 900  # ids or names per IN (...) query: under SQLite's 999-variable limit
WRITE_BATCH = 2000
MAX_LENGTHS = {"name": 200, "organization": 200, "title": 200, "city": 120, "sector": 120}
# Names people commonly write that are neither the ISO code nor django-countries' English name.
COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "england": "GB", "united states": "US"}


class ImportNotAllowed(PeopleError):
    """An import job cannot be committed (it had errors, or is not a finished dry run)."""


@dataclass(frozen=True)
class RowError:
    """One problem: `line` 0 means the whole file; 1 is the header row."""

    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    total_rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    kind: str = ""
    filename: str = ""
    dry_run: bool = True
    new_memberships: int = 0
    new_organizations: int = 0
    warnings: list[RowError] = field(default_factory=list)
    # The first rows with what will happen to each: {"line", "name", "action", "changes"}.
    preview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({error.line for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "total_rows": self.total_rows,
            "to_create": self.to_create,
            "to_update": self.to_update,
            "unchanged": self.unchanged,
            "new_memberships": self.new_memberships,
            "new_organizations": self.new_organizations,
            "error_count": len(self.errors),
            "bad_rows": self.bad_rows,
            "errors": [asdict(error) for error in self.errors[:MAX_STORED_ERRORS]],
            "warnings": [asdict(warning) for warning in self.warnings[:MAX_STORED_ERRORS]],
            "preview": self.preview,
        }

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))


# --- reading the file ----------------------------------------------------------------------------


@dataclass(slots=True)
class RawRow:
    """One record of the file: its first line and its non-empty cells by column name."""

    line: int
    values: dict[str, str]


def _file_problem(content: bytes) -> str | None:
    """Files that are plainly not text get a message that says what to do instead."""
    head = content[:8192]
    if head.startswith(b"PK\x03\x04"):
        return _(
            "This is a spreadsheet workbook (.xlsx or .ods), not a CSV file. In your spreadsheet "
            "program choose “Save as” → “CSV UTF-8 (comma delimited)” and upload that file."
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _(
            "This is an old Excel workbook (.xls), not a CSV file. Save it as “CSV UTF-8 (comma "
            "delimited)” and upload that file."
        )
    if head.startswith(b"%PDF"):
        return _("This is a PDF document, not a CSV file. Upload a CSV (UTF-8) file.")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _(
            "The file is UTF-16 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again."
        )
    if b"\x00" in head:
        return _("This is a binary file, not CSV text. Upload a CSV (UTF-8) file.")
    return None


def _decode(content: bytes, report: ImportReport) -> str | None:
    problem = _file_problem(content)
    if problem:
        report.error(0, "", problem)
        return None
    try:
        return decode_upload(content)
    except ValueError as error:
        try:
            content.decode("utf-8-sig")
            line = 0
        except UnicodeDecodeError as decode_error:
            offset = 3 if content.startswith(b"\xef\xbb\xbf") else 0
            line = content[: decode_error.start + offset].count(b"\n") + 1
        report.error(line, "", str(error))
        return None


def _column_key(header: str) -> str:
    """ "Map consent", "map-consent" and "MAP_CONSENT" all name the column map_consent."""
    return "_".join(header.strip().lower().replace("-", " ").split())


def _delimiter(header_line: str) -> str:
    """Spreadsheets in French or Spanish settings write CSV with semicolons; both are accepted."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(text: str, kind: str, report: ImportReport) -> list[RawRow]:
    if not text.strip():
        report.error(0, "", _("The file is empty."))
        return []
    columns = COLUMNS[kind]
    ignored = IGNORED_COLUMNS[kind]
    header_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    records = _records(reader, report)
    header: list[str] | None = None
    start = 1
    for number, record in records:
        if any(cell.strip() for cell in record):
            header, start = record, number
            break
    if header is None:
        if not report.errors:
            report.error(0, "", _("The file is empty."))
        return []
    keys = [_column_key(cell) for cell in header]
    known = set(columns) | set(ignored)
    if not any(key in known for key in keys):
        shown = ", ".join(cell.strip() for cell in header[:4] if cell.strip())
        report.error(
            start,
            "",
            _(
                "The first line must be a header row naming the columns, for example: "
                "%(example)s. It has none of the column names this import knows (it starts "
                "with: %(cells)s)."
            )
            % {"example": ",".join(columns[:4]), "cells": shown},
        )
        return []
    seen: set[str] = set()
    for cell, key in zip(header, keys, strict=True):
        if not key:
            continue
        if key not in known:
            report.error(
                start,
                cell.strip(),
                _("Unknown column “%(column)s”. Rename or remove it; the columns are: %(known)s.")
                % {"column": cell.strip(), "known": ", ".join(columns)},
            )
        elif key in seen:
            report.error(start, key, _("The column “%(column)s” appears twice.") % {"column": key})
        seen.add(key)
    if "name" not in seen:
        report.error(
            start, "name", _("The header row has no “name” column; every row needs a name.")
        )
    if report.errors:
        return []
    keep = [(i, key) for i, key in enumerate(keys) if key in columns]
    width = len(keys)
    rows: list[RawRow] = []
    for line, record in records:
        if not any(cell.strip() for cell in record):  # blank, or only spaces
            continue
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            report.error(
                line,
                "",
                _("This row has %(cells)d cells but the header names %(columns)d columns.")
                % {"cells": len(record), "columns": width},
            )
            continue
        size = len(record)
        values = {key: record[i].strip() for i, key in keep if i < size and record[i]}
        if values:
            rows.append(RawRow(line, {k: v for k, v in values.items() if v}))
    if not rows and not report.errors:
        report.error(0, "", _("The file has a header row but no rows to import."))
    return rows


def _records(reader: Any, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) for each record: a quoted cell may run over several lines."""
    previous_end = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            report.error(
                previous_end + 1,
                "",
                _("This line cannot be read as CSV (%(problem)s). Check its quotes.")
                % {"problem": error},
            )
            return
        yield previous_end + 1, record
        previous_end = reader.line_num


def _read_vcards(text: str, report: ImportReport) -> list[RawRow]:
    """One row per card, numbered by the line its BEGIN:VCARD is on."""
    import vobject

    cards: list[tuple[int, list[str]]] = []
    depth = 0
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.rstrip().upper()
        if depth == 0:
            if marker == "BEGIN:VCARD":
                depth, start, lines = 1, number, [line]
            elif marker and not cards and not report.errors:
                report.error(
                    number,
                    "",
                    _("This is not a vCard file: a card starts with a BEGIN:VCARD line."),
                )
                return []
            elif marker:
                report.error(number, "", _("This line is outside any card (after END:VCARD)."))
            continue
        lines.append(line)
        if marker.startswith("BEGIN:"):
            depth += 1
        elif marker.startswith("END:"):
            depth -= 1
            if depth == 0:
                cards.append((start, lines))
    if depth:
        report.error(start, "", _("This card is never closed: add an END:VCARD line."))
    if not cards and not report.errors:
        report.error(0, "", _("The file is empty."))
    rows: list[RawRow] = []
    for start, card_lines in cards:
        try:
            card = vobject.readOne("\r\n".join(card_lines) + "\r\n")
            rows.append(RawRow(start, _vcard_values(card)))
        except Exception as error:  # vobject raises many kinds of errors for a broken card
            problem = str(error).split(": ", 1)[-1] if str(error).startswith("At line") else error
            report.error(
                start, "", _("This card cannot be read: %(problem)s") % {"problem": problem}
            )
    return rows


def _vcard_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = next((str(v) for v in value if str(v).strip()), "")
    return str(value or "").strip()


def _vcard_values(card: Any) -> dict[str, str]:
    contents = card.contents
    values: dict[str, str] = {}

    def first(name: str) -> Any:
        found = contents.get(name)
        return found[0].value if found else None

    name = _vcard_text(first("fn"))
    if not name and contents.get("n"):
        n = contents["n"][0].value
        parts = [getattr(n, "prefix", ""), getattr(n, "given", ""), getattr(n, "additional", ""),
                 getattr(n, "family", ""), getattr(n, "suffix", "")]  # fmt: skip
        name = " ".join(_vcard_text(p) for p in parts if _vcard_text(p))
    values["name"] = name
    values["email"] = _vcard_text(first("email"))
    values["organization"] = _vcard_text(first("org"))
    values["title"] = _vcard_text(first("title"))
    values["bio"] = _vcard_text(first("note"))
    address = first("adr")
    if address is not None:
        values["country"] = _vcard_text(getattr(address, "country", ""))
        values["city"] = _vcard_text(getattr(address, "city", ""))
    values["links"] = "\n".join(_vcard_text(url.value) for url in contents.get("url", []))
    return {key: value for key, value in values.items() if value}


# --- checking rows -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _countries_by_name() -> dict[str, str]:
    """ISO code, three-letter code and English names (current and former), lower-cased."""
    table: dict[str, str] = {}
    with translation.override("en"):
        for country in countries:
            table[country.code.lower()] = country.code
            table[str(country.name).lower()] = country.code
            alpha3 = countries.alpha3(country.code)
            if alpha3:
                table[alpha3.lower()] = country.code
        for code, names in countries.shadowed_names.items():
            for name in names:
                table.setdefault(str(name).lower(), code)
    for alias, code in COUNTRY_ALIASES.items():
        table.setdefault(alias, code)
    return table


@functools.lru_cache(maxsize=1)
def _languages_by_name() -> dict[str, str]:
    table = {code.lower(): code.lower() for code in LANG_INFO}
    for code, info in LANG_INFO.items():
        if "name" in info:
            table.setdefault(str(info["name"]).lower(), code)
    return table


@functools.cache
def _values(choices: type[models.Choices]) -> tuple[str, ...]:
    """A choices enum's values, without translating its labels as `.values` does each time."""
    return tuple(member.value for member in choices)


class _Row:
    """Collects one row's problems, naming columns as the file does (CSV or vCard)."""

    __slots__ = ("errors", "labels", "line")

    def __init__(self, line: int, labels: dict[str, str] | None) -> None:
        self.line = line
        self.labels = labels
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        label = self.labels.get(column, column) if self.labels else column
        self.errors.append(RowError(self.line, label, message))


def _text(row: _Row, values: dict[str, str], column: str) -> str:
    value = values.get(column, "")
    if column in MAX_LENGTHS:
        value = " ".join(value.split())
        if len(value) > MAX_LENGTHS[column]:
            row.error(
                column,
                _("This is %(length)d characters long; at most %(max)d fit.")
                % {"length": len(value), "max": MAX_LENGTHS[column]},
            )
            return ""
    return value


def _country(row: _Row, values: dict[str, str]) -> str:
    value = values.get("country", "")
    if not value:
        return ""
    code = _countries_by_name().get(" ".join(value.lower().split()))
    if code is None:
        row.error(
            "country",
            _(
                "“%(value)s” is not a country. Use its two-letter ISO code (such as KE) or its "
                "English name (such as Kenya)."
            )
            % {"value": value},
        )
        return ""
    return code


def _email(row: _Row, values: dict[str, str]) -> str:
    value = values.get("email", "").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    if not value:
        return ""
    try:
        if len(value) > 254:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        row.error("email", _("“%(value)s” is not an email address.") % {"value": value})
        return ""
    return value.lower()


def _languages(row: _Row, values: dict[str, str]) -> list[str]:
    value = values.get("languages", "")
    if not value:
        return []
    table = _languages_by_name()
    codes: list[str] = []
    unknown: list[str] = []
    for item in value.replace(";", ",").split(","):
        item = " ".join(item.strip().lower().replace("_", "-").split())
        if not item:
            continue
        code = table.get(item)
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    if unknown:
        row.error(
            "languages",
            _("Unknown languages: %(codes)s. Use codes such as en, fr, es, pt, separated by ;")
            % {"codes": ", ".join(unknown)},
        )
    return codes


def _choice(row: _Row, values: dict[str, str], column: str, choices: Sequence[str]) -> str:
    value = values.get(column, "").strip().lower()
    if value and value not in choices:
        row.error(
            column,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": values[column], "choices": ", ".join(choices)},
        )
        return ""
    return value


def _url(row: _Row, column: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    try:
        if len(value) > 200:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        row.error(column, _("“%(value)s” is not a web address.") % {"value": value})
        return ""
    return value


@dataclass(slots=True)
class PersonRow:
    line: int
    name: str
    email: str
    organization: str
    title: str
    role: str
    # Person fields the file gives a value for (empty cells are left out: they never erase).
    fields: dict[str, Any]


def _clean_person(raw: RawRow, labels: dict[str, str] | None) -> tuple[PersonRow, list[RowError]]:
    values = raw.values
    row = _Row(raw.line, labels)
    name = _text(row, values, "name")
    if not name and not row.errors:
        row.error("name", _("The name is missing."))
    fields: dict[str, Any] = {"name": name}
    for column in ("city", "bio", "offers", "seeks"):
        fields[column] = _text(row, values, column)
    fields["country"] = _country(row, values)
    fields["languages"] = _languages(row, values)
    fields["expertise"] = normalize_tags(values.get("expertise", ""))
    fields["interests"] = normalize_tags(values.get("interests", ""))
    fields["map_consent"] = _choice(row, values, "map_consent", _values(Person.MapConsent))
    if "links" in values:
        links = [_url(row, "links", link) for link in values["links"].split()]
        fields["links"] = [link for link in links if link]
    person = PersonRow(
        line=raw.line,
        name=name,
        email=_email(row, values),
        organization=_text(row, values, "organization"),
        title=_text(row, values, "title"),
        role=_choice(row, values, "role", _values(Role)),
        fields={key: value for key, value in fields.items() if value},
    )
    return person, row.errors


@dataclass(slots=True)
class OrganizationRow:
    line: int
    name: str
    fields: dict[str, Any]


def _clean_organization(raw: RawRow) -> tuple[OrganizationRow, list[RowError]]:
    values = raw.values
    row = _Row(raw.line, None)
    name = _text(row, values, "name")
    if not name and not row.errors:
        row.error("name", _("The name is missing."))
    fields: dict[str, Any] = {
        "kind": _choice(row, values, "kind", _values(Organization.Kind)),
        "country": _country(row, values),
        "sector": _text(row, values, "sector"),
        "website": _url(row, "website", values.get("website", "")),
        "description": _text(row, values, "description"),
    }
    organization = OrganizationRow(
        raw.line, name, {key: value for key, value in fields.items() if value}
    )
    return organization, row.errors


# --- progress ------------------------------------------------------------------------------------


class _Ticker:
    """Calls `progress(done, total)` about every half percent, and always at the end."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.step = max(1, total // 200)
        self.last = -1

    def __call__(self, done: int, *, force: bool = False) -> None:
        done = min(done, self.total)
        if self.progress is None or done == self.last:
            return
        if force or done - self.last >= self.step or done == self.total:
            self.last = done
            self.progress(done, self.total)


class _WriteTicker:
    """Maps the objects written so far onto the second half of the progress (rows..2*rows)."""

    def __init__(self, tick: _Ticker, rows: int, objects: int) -> None:
        self.tick, self.rows, self.objects, self.written = tick, rows, max(objects, 1), 0

    def add(self, count: int) -> None:
        self.written += count
        self.tick(self.rows + self.rows * self.written // self.objects)


# --- lookups and writes --------------------------------------------------------------------------


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _by_lower(model: type[models.Model], column: str, names: Iterable[str]) -> dict[str, Any]:
    """Rows of `model` whose `column` matches one of `names` (already lower-cased)."""
    names = sorted(set(names))
    found: dict[str, Any] = {}
    queryset = model._default_manager.annotate(key=Lower(column)).order_by()
    if column == "email":  # lets SQLite use the partial unique index on lower(email)
        queryset = queryset.exclude(email="")
    for chunk in _chunks(names, LOOKUP_CHUNK):
        for obj in queryset.filter(key__in=chunk):
            found[obj.key] = obj
    return found


class _New:
    """A row to insert: field values by name (related rows as objects, existing or _New); its
    `pk` is set once it is inserted, so that the rows that point to it can be."""

    __slots__ = ("pk", "values")

    def __init__(self, **values: Any) -> None:
        self.values = values
        self.pk: int | None = None


def _related_pk(value: Any) -> Any:
    return None if value is None else value.pk


def _json_value(value: Any, *, encoder: Any) -> Any:
    return connection.ops.adapt_json_value(value, encoder)


def _as_is(value: Any) -> Any:
    return value


def _insert(
    model: type[models.Model], objs: list[_New], writes: _WriteTicker, *, returning: bool = False
) -> None:
    """INSERT `objs` in multi-row batches, and with `returning` set each one's `pk`.

    Not bulk_create: it spends about 300 µs per Person preparing values in Python, which alone
    would take the 100,000-member import past its one-minute budget. Fields a row does not name
    get their model default; `auto_now` fields get the time of the import."""
    if not objs:
        return
    ops = connection.ops
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults: list[Any] = []
    preparers: list[Callable[[Any], Any]] = []
    for f in fields:
        auto_now = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        defaults.append(now if auto_now else f.get_default())
        if f.is_relation:
            preparers.append(_related_pk)
        elif isinstance(f, models.JSONField):
            preparers.append(functools.partial(_json_value, encoder=f.encoder))
        elif isinstance(f, models.DateTimeField):
            preparers.append(functools.lru_cache(maxsize=8)(ops.adapt_datetimefield_value))
        else:
            preparers.append(_as_is)
    spec = list(zip([f.name for f in fields], defaults, preparers, strict=True))
    quote = ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        _copy(model, objs, spec, columns, writes)
        return
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    max_params = connection.features.max_query_params or 30_000
    batch_size = max(1, min(WRITE_BATCH, max_params // len(fields))) if returning else WRITE_BATCH
    with connection.cursor() as cursor:
        for batch in _chunks(objs, batch_size):
            rows = [
                [prepare(obj.values.get(name, default)) for name, default, prepare in spec]
                for obj in batch
            ]
            if not returning:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {placeholders}", rows)  # noqa: S608
            else:
                values = ", ".join([placeholders] * len(rows))
                pk = quote(model._meta.pk.column)  # type: ignore[union-attr]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}",  # noqa: S608
                    [value for row in rows for value in row],
                )
                # Rows get increasing ids in the order of VALUES; RETURNING's order is not
                # promised, so the ids are sorted rather than trusted to come back in order.
                ids = sorted(row[0] for row in cursor.fetchall())
                for obj, pk_value in zip(batch, ids, strict=True):
                    obj.pk = pk_value
            writes.add(len(batch))


def _copy(
    model: type[models.Model],
    objs: list[_New],
    spec: list[tuple[str, Any, Callable[[Any], Any]]],
    columns: str,
    writes: _WriteTicker,
) -> None:
    """PostgreSQL: ids drawn from the table's sequence, then COPY, several times faster than
    INSERT for a bulk load (the search index is what remains slow)."""
    quote = connection.ops.quote_name
    pk_column = model._meta.pk.column  # type: ignore[union-attr]
    copy_sql = f"COPY {quote(model._meta.db_table)} ({quote(pk_column)}, {columns}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk_column])
        sequence = cursor.fetchone()[0]
        for batch in _chunks(objs, WRITE_BATCH * 5):
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, len(batch)])
            for obj, (pk_value,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk_value
            with cursor.cursor.copy(copy_sql) as copy:
                for obj in batch:
                    values = obj.values
                    copy.write_row(
                        [obj.pk]
                        + [prepare(values.get(name, default)) for name, default, prepare in spec]
                    )
            writes.add(len(batch))


def _update_rows(
    model: type[models.Model], changes: list[tuple[Any, tuple[str, ...]]], writes: _WriteTicker
) -> None:
    """UPDATE each object's changed fields. One prepared statement per set of fields, run with
    executemany: Django's bulk_update builds CASE WHEN expressions whose cost grows with the
    square of the batch, far too slow for 100,000 rows."""
    groups: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for obj, fields in changes:
        groups[fields].append(obj)
    meta = model._meta
    quote = connection.ops.quote_name
    pk_column = quote(meta.pk.column)  # type: ignore[union-attr]
    for fields, objs in groups.items():
        model_fields = [cast(models.Field, meta.get_field(name)) for name in fields]  # type: ignore[type-arg]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in model_fields)
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
        for batch in _chunks(objs, WRITE_BATCH):
            params = [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in model_fields]
                + [obj.pk]
                for obj in batch
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
            writes.add(len(batch))


def _person_value(person: Person, name: str) -> Any:
    value = getattr(person, name)
    if name == "country":
        return value.code or ""
    return value


@dataclass
class _PeoplePlan:
    new_organizations: dict[str, _New] = field(default_factory=dict)
    new_people: list[_New] = field(default_factory=list)
    changed_people: list[tuple[Person, tuple[str, ...]]] = field(default_factory=list)
    new_affiliations: list[_New] = field(default_factory=list)
    changed_affiliations: list[tuple[_StoredAffiliation, tuple[str, ...]]] = field(
        default_factory=list
    )
    new_memberships: list[_New] = field(default_factory=list)
    changed_memberships: list[tuple[_StoredMembership, tuple[str, ...]]] = field(
        default_factory=list
    )
    events: list[_New] = field(default_factory=list)
    # (person or new person, profile fields, organization names): search texts are only
    # computed for a real import, as they cost more than everything else a dry run does.
    search_texts: list[tuple[Person | _New, dict[str, Any], list[str]]] = field(
        default_factory=list
    )

    def size(self) -> int:
        return sum(
            len(part)
            for part in (
                self.search_texts, self.new_organizations, self.new_people, self.changed_people,
                self.new_affiliations, self.changed_affiliations, self.new_memberships,
                self.changed_memberships, self.events,
            )
        )  # fmt: skip


@dataclass(slots=True)
class _Profile:
    """What person_search_text reads of a person, for people not created yet."""

    name: str = ""
    expertise: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    offers: str = ""
    seeks: str = ""
    city: str = ""
    country: str = ""
    languages: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Named:
    name: str


def _search_text(fields: dict[str, Any], organization_names: list[str]) -> str:
    """services.person_search_text, fed plain values: model instances would cost more than the
    text itself (a CountryField builds a Country object on every read)."""
    profile = _Profile(**{k: v for k, v in fields.items() if k in _Profile.__slots__})
    organizations = [_Named(name) for name in organization_names if name]
    return person_search_text(profile, organizations)  # type: ignore[arg-type]


def _profile_of(person: Person) -> dict[str, Any]:
    return {name: _person_value(person, name) for name in _Profile.__slots__}


@dataclass(slots=True)
class _StoredMembership:
    """The columns of an existing membership an import reads and may change."""

    pk: int
    status: str
    role: str
    joined_at: Any
    left_at: Any
    updated_at: Any = None


@dataclass(slots=True)
class _StoredAffiliation:
    pk: int
    organization_id: int
    organization_name: str
    title: str
    is_primary: bool


def _existing_without_email(network: Network) -> dict[tuple[str, str], str]:
    """(name, organization) of this network's members who have no email, lower-cased."""
    keys: dict[tuple[str, str], str] = {}
    rows = Membership.objects.filter(network=network, person__email="").values_list(
        "person__name", "person__affiliations__organization__name"
    )
    for name, organization in rows:
        keys[(" ".join(name.lower().split()), (organization or "").lower())] = name
    return keys


def _plan_people(
    rows: list[PersonRow],
    *,
    network: Network,
    filename: str,
    actor: Person | None,
    report: ImportReport,
) -> _PeoplePlan:
    plan = _PeoplePlan()
    now = timezone.now()
    emails = [row.email for row in rows if row.email]
    people = _by_lower(Person, "email", emails)
    person_ids = [person.pk for person in people.values()]
    memberships: dict[int, _StoredMembership] = {}
    affiliations: dict[int, list[_StoredAffiliation]] = defaultdict(list)
    for chunk in _chunks(person_ids, LOOKUP_CHUNK):
        for person_id, pk, status, role, joined_at, left_at in Membership.objects.filter(
            network=network, person_id__in=chunk
        ).values_list("person_id", "pk", "status", "role", "joined_at", "left_at"):
            memberships[person_id] = _StoredMembership(pk, status, role, joined_at, left_at)
        for person_id, pk, organization_id, name, title, primary in Affiliation.objects.filter(
            person_id__in=chunk
        ).values_list(
            "person_id", "pk", "organization_id", "organization__name", "title", "is_primary"
        ):
            affiliations[person_id].append(
                _StoredAffiliation(pk, organization_id, name, title, primary)
            )
    organizations: dict[str, Organization | _New] = _by_lower(
        Organization, "name", (row.organization.lower() for row in rows)
    )
    without_email = _existing_without_email(network) if len(emails) < len(rows) else {}
    source = _("%(file)s, line %(line)d")

    def event(membership: _StoredMembership | _New, row: PersonRow, old: str, new: str) -> None:
        plan.events.append(
            _New(
                network=network, membership=membership, kind=MembershipEvent.Kind.IMPORTED,
                actor=actor, old_value=old, new_value=new, created_at=now,
                message=source % {"file": filename, "line": row.line},
            )
        )  # fmt: skip

    for row in rows:
        organization = None
        if row.organization:
            key = row.organization.lower()
            organization = organizations.get(key)
            if organization is None:
                organization = organizations[key] = _New(name=row.organization)
                plan.new_organizations[key] = organization
        person = people.get(row.email) if row.email else None
        if person is None:
            if not row.email and (row.name.lower(), row.organization.lower()) in without_email:
                report.error(
                    row.line,
                    "name",
                    _(
                        "%(name)s, without an email, is already a member of this network with "
                        "the same organization. Add their email to update them, or remove this row."
                    )
                    % {"name": row.name},
                )
                continue
            new_person = _New(
                email=row.email,
                created_at=now,
                **row.fields,
            )
            plan.new_people.append(new_person)
            plan.search_texts.append((new_person, row.fields, [row.organization]))
            if organization is not None:
                plan.new_affiliations.append(
                    _New(person=new_person, organization=organization, title=row.title)
                )
            membership = _New(
                network=network, person=new_person, role=row.role or Role.MEMBER,
                status=Membership.Status.ACTIVE, joined_at=now, created_at=now,
            )  # fmt: skip
            plan.new_memberships.append(membership)
            event(membership, row, "", membership.values["role"])
            report.to_create += 1
            report.new_memberships += 1
            _preview(report, row, "create", [])
            continue

        existing = memberships.get(person.pk)
        if (
            existing is not None
            and existing.status == Membership.Status.ACTIVE
            and existing.role == Role.COORDINATOR
            and row.role
            and row.role != Role.COORDINATOR
        ):
            report.error(
                row.line,
                "role",
                _(
                    "%(name)s is a coordinator; an import does not change a coordinator's role. "
                    "Change it on their member page, or leave the cell empty."
                )
                % {"name": person.name},
            )
            continue

        owned = person.user_id is not None
        changed: list[str] = []
        for name, value in row.fields.items():
            current = _person_value(person, name)
            if current == value or (owned and (current or name == "map_consent")):
                continue
            setattr(person, name, value)
            changed.append(name)
        person_affiliations = affiliations.get(person.pk, [])
        added = _plan_affiliation(plan, person, person_affiliations, organization, row.title, owned)
        if added is not None:
            changed.append("organization")
        if changed:
            # In the order person_search_text reads affiliations: the primary one, then by name.
            affiliated = [(not a.is_primary, a.organization_name) for a in person_affiliations]
            if added:
                affiliated.append((False, added))
            names = [name for _secondary, name in sorted(affiliated)]
            plan.search_texts.append((person, _profile_of(person), names))
            person.updated_at = now
            person_fields = [name for name in changed if name != "organization"]
            plan.changed_people.append((person, (*person_fields, "search_text", "updated_at")))

        kept, old, new = _plan_membership(
            plan, report, row, network=network, person=person, membership=existing, now=now
        )
        if old != new:
            changed.append("role" if old in _values(Role) else "membership")
        if not changed:
            report.unchanged += 1
            _preview(report, row, "unchanged", [])
            continue
        event(kept, row, old, new)
        report.to_update += 1
        _preview(report, row, "update", changed)
    report.new_organizations = len(plan.new_organizations)
    return plan


def _plan_membership(
    plan: _PeoplePlan,
    report: ImportReport,
    row: PersonRow,
    *,
    network: Network,
    person: Person,
    membership: _StoredMembership | None,
    now: Any,
) -> tuple[_StoredMembership | _New, str, str]:
    """The membership an imported existing person ends up with, and (old, new) for its event:
    ("", role) for a new membership, (old status, "active") for a reactivated one, (old role,
    new role) for a role change, ("", "") when the membership stays as it is."""
    if membership is None:
        role = row.role or Role.MEMBER
        new = _New(
            network=network, person=person, role=role, status=Membership.Status.ACTIVE,
            joined_at=now, created_at=now,
        )  # fmt: skip
        plan.new_memberships.append(new)
        report.new_memberships += 1
        return new, "", role
    if membership.status in (Membership.Status.LEFT, Membership.Status.DECLINED):
        report.warnings.append(
            RowError(
                row.line,
                "",
                _(
                    "%(name)s is not an active member (%(status)s): their profile is updated but "
                    "they are not made a member again. Reinstate them on their member page if "
                    "they should be."
                )
                % {"name": person.name, "status": Membership.Status(membership.status).label},
            )
        )
        return membership, "", ""
    membership.updated_at = now
    if membership.status == Membership.Status.ACTIVE:
        if not row.role or row.role == membership.role:
            return membership, "", ""
        old = membership.role
        membership.role = row.role
        plan.changed_memberships.append((membership, ("role", "updated_at")))
        return membership, old, row.role
    # invited, applied or lapsed: the coordinator's file makes them members
    old = membership.status
    membership.status = Membership.Status.ACTIVE
    membership.role = row.role or membership.role
    membership.joined_at = membership.joined_at or now
    membership.left_at = None
    plan.changed_memberships.append(
        (membership, ("status", "role", "joined_at", "left_at", "updated_at"))
    )
    return membership, old, Membership.Status.ACTIVE


def _plan_affiliation(
    plan: _PeoplePlan,
    person: Person,
    current: list[_StoredAffiliation],
    organization: Organization | _New | None,
    title: str,
    owned: bool,
) -> str | None:
    """Make `organization` the person's primary affiliation. None when nothing changes; else
    the name of the organization newly affiliated, or "" when existing affiliations change."""
    if organization is None:
        return None
    name = organization.values["name"] if isinstance(organization, _New) else organization.name
    existing = next((a for a in current if a.organization_id == organization.pk), None)
    if owned and current:
        if existing is not None and title and not existing.title:
            existing.title = title
            plan.changed_affiliations.append((existing, ("title",)))
            return ""
        return None
    changed = False
    for other in current:
        if other is not existing and other.is_primary:
            other.is_primary = False
            plan.changed_affiliations.append((other, ("is_primary",)))
            changed = True
    if existing is None:
        plan.new_affiliations.append(
            _New(person=person, organization=organization, title=title, is_primary=True)
        )
        return name
    fields = []
    if not existing.is_primary:
        existing.is_primary = True
        fields.append("is_primary")
    if title and title != existing.title:
        existing.title = title
        fields.append("title")
    if fields:
        plan.changed_affiliations.append((existing, tuple(fields)))
    return "" if changed or fields else None


def _write_people(plan: _PeoplePlan, writes: _WriteTicker) -> None:
    for batch in _chunks(plan.search_texts, WRITE_BATCH):
        for target, fields, names in batch:
            text = _search_text(fields, names)
            if isinstance(target, _New):
                target.values["search_text"] = text
            else:
                target.search_text = text
        writes.add(len(batch))
    # Each insert needs the ids of the rows inserted before it (people, then memberships).
    _insert(Organization, list(plan.new_organizations.values()), writes, returning=True)
    _insert(Person, plan.new_people, writes, returning=True)
    _update_rows(Person, plan.changed_people, writes)
    _update_rows(Affiliation, plan.changed_affiliations, writes)
    _insert(Affiliation, plan.new_affiliations, writes)
    _insert(Membership, plan.new_memberships, writes, returning=True)
    _update_rows(Membership, plan.changed_memberships, writes)
    _insert(MembershipEvent, plan.events, writes)


@dataclass
class _OrganizationPlan:
    new: list[_New] = field(default_factory=list)
    changed: list[tuple[Organization, tuple[str, ...]]] = field(default_factory=list)

    def size(self) -> int:
        return len(self.new) + len(self.changed)


def _plan_organizations(rows: list[OrganizationRow], *, report: ImportReport) -> _OrganizationPlan:
    plan = _OrganizationPlan()
    existing = _by_lower(Organization, "name", (row.name.lower() for row in rows))
    now = timezone.now()
    for row in rows:
        organization = existing.get(row.name.lower())
        if organization is None:
            plan.new.append(_New(name=row.name, created_at=now, **row.fields))
            report.to_create += 1
            _preview(report, row, "create", [])
            continue
        changed = []
        for name, value in row.fields.items():
            current = getattr(organization, name)
            if name == "country":
                current = current.code or ""
            if current != value:
                setattr(organization, name, value)
                changed.append(name)
        if changed:
            organization.updated_at = now
            plan.changed.append((organization, (*changed, "updated_at")))
            report.to_update += 1
            _preview(report, row, "update", changed)
        else:
            report.unchanged += 1
            _preview(report, row, "unchanged", [])
    return plan


def _preview(
    report: ImportReport, row: PersonRow | OrganizationRow, action: str, changes: list[str]
) -> None:
    if len(report.preview) < PREVIEW_ROWS:
        report.preview.append(
            {"line": row.line, "name": row.name, "action": action, "changes": changes}
        )


def _duplicates(
    rows: Sequence[PersonRow | OrganizationRow],
    report: ImportReport,
    labels: dict[str, str] | None,
) -> set[int]:
    """Lines that repeat an earlier row: the same email, or (without email) the same name and
    organization; for organizations, the same name."""
    first: dict[tuple[str, ...], int] = {}
    repeated: set[int] = set()
    for row in rows:
        if isinstance(row, OrganizationRow):
            key: tuple[str, ...] = ("name", row.name.lower())
        elif row.email:
            key = ("email", row.email)
        else:
            key = ("name", row.name.lower(), row.organization.lower())
        if key not in first:
            first[key] = row.line
            continue
        repeated.add(row.line)
        if isinstance(row, OrganizationRow):
            message = _("“%(value)s” is also on line %(first)d; keep one of the two rows.")
            column, value = "name", row.name
        elif row.email:
            message = _("%(value)s is also on line %(first)d; keep one of the two rows.")
            column, value = "email", row.email
        else:
            message = _(
                "%(value)s, without an email and with the same organization, is also on line "
                "%(first)d; keep one row, or add their emails if they are two people."
            )
            column, value = "name", row.name
        label = labels.get(column, column) if labels else column
        report.error(row.line, label, message % {"value": value, "first": first[key]})
    return repeated


# --- the import ----------------------------------------------------------------------------------


def import_file(
    *,
    network: Network,
    kind: str,
    filename: str,
    content: bytes,
    dry_run: bool,
    actor: Person | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a file of people or organizations and, unless `dry_run`, import it.

    `progress(done, total)` is called as rows are checked (0..rows) and, for a real import, as
    they are written (rows..2*rows). When any row is bad nothing is written, dry run or not."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    report = ImportReport(kind=kind, filename=filename, dry_run=dry_run)
    is_vcard = filename.lower().endswith(VCARD_SUFFIXES)
    limit = settings.NETWEAVE_IMPORT_MAX_BYTES
    if len(content) > limit:
        report.error(
            0,
            "",
            _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into parts.")
            % {"size": len(content) / 1e6, "limit": limit / 1e6},
        )
        return report
    if is_vcard and kind != "people":
        report.error(0, "", _("A vCard file holds people: import it as members, not %(kind)s.")
                     % {"kind": kind})  # fmt: skip
        return report
    text = _decode(content, report)
    if text is None:
        return report
    raw_rows = _read_vcards(text, report) if is_vcard else _read_csv(text, kind, report)
    if not raw_rows:
        return report
    unreadable = {error.line for error in report.errors}
    report.total_rows = len(raw_rows) + len(unreadable)
    tick = _Ticker(progress, report.total_rows * (1 if dry_run else 2))
    tick(0, force=True)

    rows: list[Any] = []
    bad_lines = set(unreadable)
    labels = VCARD_PROPERTIES if is_vcard else None
    for index, raw in enumerate(raw_rows, start=1):
        if kind == "people":
            row, errors = _clean_person(raw, labels)
        else:
            row, errors = _clean_organization(raw)  # type: ignore[assignment]
        if errors:
            report.errors.extend(errors)
            bad_lines.add(row.line)
        rows.append(row)
        tick(index)
    tick(len(raw_rows), force=True)
    bad_lines |= _duplicates([row for row in rows if row.name], report, labels)
    cleaned = [row for row in rows if row.line not in bad_lines]

    def plan() -> _PeoplePlan | _OrganizationPlan:
        if kind == "people":
            return _plan_people(
                cleaned, network=network, filename=filename, actor=actor, report=report
            )
        return _plan_organizations(cleaned, report=report)

    if dry_run:
        plan()
    else:
        try:
            # The lookups run inside the transaction, so nobody can slip in between them and the
            # writes (SQLite takes the write lock at BEGIN IMMEDIATE).
            with transaction.atomic():
                the_plan = plan()
                if not report.errors:
                    writes = _WriteTicker(tick, report.total_rows, the_plan.size())
                    if isinstance(the_plan, _PeoplePlan):
                        _write_people(the_plan, writes)
                    else:
                        _insert(Organization, the_plan.new, writes)
                        _update_rows(Organization, the_plan.changed, writes)
            # Only now: deferred constraints are checked when the transaction commits.
            report.committed = not report.errors
            if report.committed:
                from netweave.people.selectors import directory_facets_forget

                directory_facets_forget(network_id=network.pk)
        except IntegrityError:
            logger.warning("Import into %s collided with a concurrent change", network.slug)
            report.error(
                0,
                "",
                _("Someone changed the same records while this import ran, so nothing was "
                  "written. Run the import again."),
            )  # fmt: skip
        if report.committed:
            tick(tick.total)
    report.errors.sort(key=lambda error: error.line)
    report.warnings.sort(key=lambda warning: warning.line)
    return report


# --- background jobs -----------------------------------------------------------------------------


def import_job_create(
    *,
    network: Network,
    kind: str,
    filename: str,
    content: bytes,
    dry_run: bool,
    created_by: Person | None,
) -> ImportJob:
    """Save an import job and run it in the background once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    job = ImportJob.objects.create(
        network=network,
        kind=kind,
        filename=filename[:255],
        content=content,
        dry_run=dry_run,
        created_by=created_by,
    )
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue_import(job_id))
    return job


def _enqueue_import(job_id: int) -> None:
    from netweave.people.tasks import run_import_job

    run_import_job.enqueue(job_id)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import job (idempotent: a finished job is returned as it is).

    A job found RUNNING is run again: it is a retry after a crash, and a crashed import wrote
    nothing (it writes in one transaction)."""
    job = ImportJob.objects.select_related("network", "created_by").get(pk=job_id)
    if job.is_finished:
        return job
    job.status = ImportJob.Status.RUNNING
    job.processed = job.total = 0
    job.save(update_fields=["status", "processed", "total"])
    last_percent = -1

    def on_progress(done: int, total: int) -> None:
        nonlocal last_percent
        percent = 100 * done // total if total else 100
        if percent == last_percent:
            return
        last_percent = percent
        job.processed, job.total = done, total
        job.save(update_fields=["processed", "total"])

    try:
        report = import_file(
            network=job.network,
            kind=job.kind,
            filename=job.filename,
            content=bytes(job.content),
            dry_run=job.dry_run,
            actor=job.created_by,
            progress=on_progress,
        )
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.report = ImportReport(
            kind=job.kind,
            filename=job.filename,
            dry_run=job.dry_run,
            errors=[
                RowError(
                    0,
                    "",
                    _(
                        "The import stopped on an unexpected problem and nothing was written. "
                        "The administrators can find the details in the server log."
                    ),
                )
            ],
        ).as_dict()
    else:
        job.report = report.as_dict()
        if job.dry_run:
            job.status = ImportJob.Status.CHECKED
        else:
            job.status = ImportJob.Status.DONE if report.committed else ImportJob.Status.FAILED
        if report.ok and job.total:
            job.processed = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "processed", "total", "finished_at"])
    return job


@transaction.atomic
def import_job_commit(*, job: ImportJob, created_by: Person | None) -> ImportJob:
    """Start the real import of a checked dry run. Asking twice gives the same job back."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    committed_id = (job.report or {}).get("commit_job_id")  # a second click
    if committed_id:
        existing = ImportJob.objects.filter(pk=committed_id, network_id=job.network_id).first()
        if existing is not None:
            return existing
    if not job.dry_run or job.status != ImportJob.Status.CHECKED:
        raise ImportNotAllowed(_("Only a finished check (dry run) can be imported for real."))
    report = job.report or {}
    if report.get("error_count") or report.get("errors") or not report.get("total_rows"):
        raise ImportNotAllowed(_("Fix the bad rows and upload the file again."))
    commit_job = import_job_create(
        network=job.network,
        kind=job.kind,
        filename=job.filename,
        content=bytes(job.content),
        dry_run=False,
        created_by=created_by,
    )
    job.report = {**job.report, "commit_job_id": commit_job.pk}
    job.save(update_fields=["report"])
    return commit_job
