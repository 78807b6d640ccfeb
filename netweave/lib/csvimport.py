"""The machinery every CSV import shares: the report, reading and decoding the file, checking
cells, progress, and fast bulk writes.

An import is checked first (a dry run: nothing is written) and its report lists every bad cell by
line and column; the real import checks everything again inside one transaction and writes every
row, or nothing when any row is bad. The member and organization import
(netweave/people/importing.py) and the resource, product and investment imports
(netweave/library/importing.py, netweave/field/importing.py) are built on it; the last three go
through `import_rows()`, which takes a `CsvKind`: its columns and a `check` function that cleans
the rows, looks up what they refer to and returns a `Plan` that writes them.

Cells are stored as the text they are: a cell that looks like a spreadsheet formula (=, +, -, @)
is never evaluated, and the CSV exports neutralize such cells on the way out.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from netweave.networks.models import Network
    from netweave.people.models import Person

__all__ = [
    "LOOKUP_CHUNK",
    "MAX_STORED_ERRORS",
    "PREVIEW_ROWS",
    "WRITE_BATCH",
    "CheckContext",
    "CsvKind",
    "ImportReport",
    "New",
    "Plan",
    "RawRow",
    "RowError",
    "RowProblems",
    "Ticker",
    "WriteTicker",
    "by_lower",
    "by_name",
    "choice_table",
    "chunks",
    "csv_cell",
    "decode",
    "decode_upload",
    "import_rows",
    "insert",
    "read_csv",
    "split_list",
    "update_rows",
]

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
T = TypeVar("T")

MAX_STORED_ERRORS = 1000  # a report in the database keeps this many; error_count says how many
PREVIEW_ROWS = 100
LOOKUP_CHUNK = 900  # ids or names per IN (...) query: under SQLite's 999-variable limit
WRITE_BATCH = 2000


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

    def add_preview(self, line: int, name: str, action: str, changes: Sequence[str]) -> None:
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(
                {"line": line, "name": name, "action": action, "changes": list(changes)}
            )


# --- reading the file ----------------------------------------------------------------------------


@dataclass(slots=True)
class RawRow:
    """One record of the file: its first line and its non-empty cells by column name."""

    line: int
    values: dict[str, str]


def decode_upload(content: bytes) -> str:
    """UTF-8 (with or without BOM); anything else is refused with a message saying what to do."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            _(
                "The file is not UTF-8 text (problem at byte %(pos)d). Save it as “CSV UTF-8” "
                "from your spreadsheet program and upload it again."
            )
            % {"pos": error.start}
        ) from None


def file_problem(content: bytes) -> str | None:
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


def too_large(content: bytes, report: ImportReport) -> bool:
    limit = settings.NETWEAVE_IMPORT_MAX_BYTES
    if len(content) <= limit:
        return False
    report.error(
        0,
        "",
        _("The file is %(size).1f MB; the limit is %(limit).1f MB. Split it into parts.")
        % {"size": len(content) / 1e6, "limit": limit / 1e6},
    )
    return True


def decode(content: bytes, report: ImportReport) -> str | None:
    """The file's text, or None with the problem (and its line, when known) in the report."""
    problem = file_problem(content)
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


def column_key(header: str) -> str:
    """ "Map consent", "map-consent" and "MAP_CONSENT" all name the column map_consent."""
    return "_".join(header.strip().lower().replace("-", " ").split())


def delimiter(header_line: str) -> str:
    """Spreadsheets in French or Spanish settings write CSV with semicolons; both are accepted."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(
    text: str,
    *,
    columns: Sequence[str],
    report: ImportReport,
    required: Sequence[str] = ("name",),
    ignored: Sequence[str] = (),
    aliases: dict[str, str] | None = None,
) -> list[RawRow]:
    """The rows of a CSV text with a header row naming `columns` (in any order and case).

    `ignored` columns are allowed and skipped (those an export writes but an import does not
    set); `aliases` name columns otherwise (an export's name for a column, say). Problems with
    the header (unknown, repeated or missing required columns) stop the reading; a row with more
    cells than the header is reported and left out."""
    if not text.strip():
        report.error(0, "", _("The file is empty."))
        return []
    header_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(header_line))
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
    keys = [column_key(cell) for cell in header]
    if aliases:
        keys = [aliases.get(key, key) for key in keys]
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
    for column in required:
        if column not in seen:
            report.error(
                start,
                column,
                _("The header row has no “%(column)s” column; every row needs one.")
                % {"column": column},
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


def template_csv(columns: Sequence[str], example: dict[str, str]) -> str:
    """A CSV with the header row and one example row, for the import page to offer. The
    example names the network's own topics and products: neutralized like an export's cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerow([csv_cell(example.get(column, "")) for column in columns])
    return out.getvalue()


# --- checking cells ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def languages_by_name() -> dict[str, str]:
    """Language codes (en, pt-br) and English names (English, Brazilian Portuguese), lower-cased."""
    table = {code.lower(): code.lower() for code in LANG_INFO}
    for code, info in LANG_INFO.items():
        if "name" in info:
            table.setdefault(str(info["name"]).lower(), code)
    return table


@functools.cache
def choice_values(choices: type[models.Choices]) -> tuple[str, ...]:
    """A choices enum's values, without translating its labels as `.values` does each time."""
    return tuple(member.value for member in choices)


@functools.cache
def choice_table(choices: type[models.Choices]) -> dict[str, str]:
    """Each value and each English label ("funding", "Funding opportunity"), lower-cased and with
    "_" and "-" read as spaces, to its value."""
    table: dict[str, str] = {}
    with translation.override("en"):
        for member in choices:
            table[_choice_key(str(member.value))] = str(member.value)
            table.setdefault(_choice_key(str(member.label)), str(member.value))
    return table


def _choice_key(value: str) -> str:
    return " ".join(value.lower().replace("_", " ").replace("-", " ").split())


def split_list(value: str) -> list[str]:
    """The items of a ";"-separated cell, trimmed, without empty ones or repeats (any case)."""
    items: list[str] = []
    seen: set[str] = set()
    for item in value.split(";"):
        item = " ".join(item.split())
        if item and item.lower() not in seen:
            seen.add(item.lower())
            items.append(item)
    return items


class RowProblems:
    """Collects one row's problems, each naming its column (as the file does, through `labels`),
    so that every bad cell of a row is reported, not just the first."""

    __slots__ = ("errors", "labels", "line")

    def __init__(self, line: int, labels: dict[str, str] | None = None) -> None:
        self.line = line
        self.labels = labels
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        label = self.labels.get(column, column) if self.labels else column
        self.errors.append(RowError(self.line, label, message))

    # The cleaners below return the cleaned value, or an empty one after reporting the problem.

    def text(self, values: dict[str, str], column: str, max_length: int | None = None) -> str:
        """A cell as text; with `max_length`, on one line (runs of spaces made one)."""
        value = values.get(column, "")
        if max_length is not None:
            value = " ".join(value.split())
            if len(value) > max_length:
                self.error(
                    column,
                    _("This is %(length)d characters long; at most %(max)d fit.")
                    % {"length": len(value), "max": max_length},
                )
                return ""
        return value

    def required(self, values: dict[str, str], column: str, max_length: int | None = None) -> str:
        value = self.text(values, column, max_length)
        if not value and column not in values:
            self.error(column, _("This cell is required and is empty."))
        return value

    def choice(self, values: dict[str, str], column: str, choices: type[models.Choices]) -> str:
        """A value of `choices`, given as the value or its English label, any case."""
        value = values.get(column, "")
        if not value:
            return ""
        found = choice_table(choices).get(_choice_key(value))
        if found is None:
            self.error(
                column,
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choice_values(choices))},
            )
            return ""
        return found

    def url(self, values: dict[str, str], column: str, max_length: int = 200) -> str:
        given = values.get(column, "").strip()
        if not given:
            return ""
        value = given if "://" in given else "https://" + given
        if len(value) > max_length:
            self.error(
                column,
                _("This link is %(length)d characters long; at most %(max)d fit.")
                % {"length": len(value), "max": max_length},
            )
            return ""
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            self.error(column, _("“%(value)s” is not a web address.") % {"value": given})
            return ""
        return value

    def language(self, values: dict[str, str], column: str) -> str:
        """One language, by code (en, pt-br) or English name (French)."""
        value = values.get(column, "")
        if not value:
            return ""
        key = " ".join(value.strip().lower().replace("_", "-").split())
        code = languages_by_name().get(key)
        if code is None:
            self.error(
                column,
                _("Unknown language “%(value)s”. Use a code such as en, fr, es or pt, or the "
                  "English name of the language.") % {"value": value},
            )  # fmt: skip
            return ""
        return code

    def date(
        self, values: dict[str, str], column: str, *, year_alone: bool = False
    ) -> datetime.date | None:
        """An ISO date (2024-03-31); with `year_alone`, also 2024 (1 January) or 2024-03 (the
        first of the month)."""
        value = values.get(column, "").strip()
        if not value:
            return None
        if year_alone:
            match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", value)
            if match:
                try:
                    return datetime.date(int(match[1]), int(match[2] or 1), 1)
                except ValueError:
                    pass
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            if year_alone:
                message = _("“%(value)s” is not a date. Write it as 2024-03-31, 2024-03 or 2024.")
            else:
                message = _("“%(value)s” is not a date. Write it as 2024-03-31 (year-month-day).")
            self.error(column, message % {"value": value})
            return None


# --- progress ------------------------------------------------------------------------------------


class Ticker:
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


class WriteTicker:
    """Maps the objects written so far onto the second half of the progress (rows..2*rows)."""

    def __init__(self, tick: Ticker, rows: int, objects: int) -> None:
        self.tick, self.rows, self.objects, self.written = tick, rows, max(objects, 1), 0

    def add(self, count: int) -> None:
        self.written += count
        self.tick(self.rows + self.rows * min(self.written, self.objects) // self.objects)


# --- lookups and writes --------------------------------------------------------------------------


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def by_lower(
    model: type[models.Model],
    column: str,
    names: Iterable[str],
    queryset: models.QuerySet[Any] | None = None,
) -> dict[str, Any]:
    """Rows of `model` (or of `queryset`) whose `column` matches one of `names` (already
    lower-cased), by that lower-cased value; one query per 900 names."""
    names = sorted(set(names))
    found: dict[str, Any] = {}
    if queryset is None:
        queryset = model._default_manager.all()
    queryset = queryset.annotate(key=Lower(column)).order_by()
    if column == "email":  # lets SQLite use the partial unique index on lower(email)
        queryset = queryset.exclude(email="")
    for chunk in chunks(names, LOOKUP_CHUNK):
        for obj in queryset.filter(key__in=chunk):
            found[obj.key] = obj
    return found


def by_name(queryset: models.QuerySet[Any], column: str, names: Iterable[str]) -> dict[str, Any]:
    """Rows of `queryset` whose `column` is one of `names`, whatever the case, by the lower-cased
    value (Python's lower(), runs of spaces made one). A row written exactly as in the file is
    found even where the database's lower() leaves non-ASCII letters alone (SQLite: "Île")."""
    wanted = {" ".join(name.split()): None for name in names if name.strip()}
    keys = {name.lower(): None for name in wanted}
    found: dict[str, Any] = {}
    queryset = queryset.annotate(key=Lower(column)).order_by()
    for part, lookup in ((list(keys), "key__in"), (list(wanted), f"{column}__in")):
        for chunk in chunks(part, LOOKUP_CHUNK):
            for obj in queryset.filter(**{lookup: chunk}):
                found.setdefault(" ".join(getattr(obj, column).lower().split()), obj)
    return found


class New:
    """A row to insert: field values by name (related rows as objects, existing or New); its
    `pk` is set once it is inserted, so that the rows that point to it can be."""

    __slots__ = ("pk", "values")

    def __init__(self, **values: Any) -> None:
        self.values = values
        self.pk: int | None = None


def _related_pk(value: Any) -> Any:
    """A related row given as an object (a model instance or a New) or as its id."""
    return value if value is None or isinstance(value, int) else value.pk


def _json_value(value: Any, *, encoder: Any) -> Any:
    return connection.ops.adapt_json_value(value, encoder)


def _as_is(value: Any) -> Any:
    return value


def _decimal_value(value: Any, *, field: models.DecimalField) -> Any:  # type: ignore[type-arg]
    return connection.ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)


def _date_value(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value)


def insert(
    model: type[models.Model], objs: list[New], writes: WriteTicker, *, returning: bool = False
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
        elif isinstance(f, models.DateField):
            preparers.append(_date_value)
        elif isinstance(f, models.DecimalField):
            preparers.append(functools.partial(_decimal_value, field=f))
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
        for batch in chunks(objs, batch_size):
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
    objs: list[New],
    spec: list[tuple[str, Any, Callable[[Any], Any]]],
    columns: str,
    writes: WriteTicker,
) -> None:
    """PostgreSQL: ids drawn from the table's sequence, then COPY, several times faster than
    INSERT for a bulk load (the search index is what remains slow)."""
    quote = connection.ops.quote_name
    pk_column = model._meta.pk.column  # type: ignore[union-attr]
    copy_sql = f"COPY {quote(model._meta.db_table)} ({quote(pk_column)}, {columns}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk_column])
        sequence = cursor.fetchone()[0]
        for batch in chunks(objs, WRITE_BATCH * 5):
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


def update_rows(
    model: type[models.Model], changes: list[tuple[Any, tuple[str, ...]]], writes: WriteTicker
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
        for batch in chunks(objs, WRITE_BATCH):
            params = [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in model_fields]
                + [obj.pk]
                for obj in batch
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
            writes.add(len(batch))


# --- the import of one kind ----------------------------------------------------------------------


class Plan(Protocol):
    """What a checked file will write."""

    def size(self) -> int:
        """How many objects `write` reports to the ticker (for the progress bar)."""
        ...

    def write(self, writes: WriteTicker) -> None: ...


@dataclass
class CheckContext:
    """What a kind's `check` works with. `dry_run` False means the check runs inside the
    import's transaction and may prepare what the writes need (such as default stages)."""

    network: Network
    actor: Person | None
    filename: str
    dry_run: bool
    report: ImportReport
    tick: Ticker
    now: datetime.datetime = field(default_factory=timezone.now)


@dataclass(frozen=True)
class CsvKind:
    """One kind of CSV import: its columns, those every row needs, and the function that checks
    the rows (every problem into `context.report`) and returns the plan that writes them."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    check: Callable[[list[RawRow], CheckContext], Plan]
    # An example row for the template the import page offers (network -> {column: value}).
    example: Callable[[Network], dict[str, str]]
    # So that the kind's CSV export, edited, can be imported back: the columns it writes that an
    # import does not set, and its names for the columns that differ.
    ignored: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)


FORMULA_STARTS = "=+-@\t\r"


def csv_cell(value: Any) -> str:
    """A cell for a CSV export that a spreadsheet shows as text and never runs as a formula
    (CSV injection): one that starts with = + - @, a tab or a carriage return gets a leading
    apostrophe, which `unquote_formulas` takes off again on import."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] and text[0] in FORMULA_STARTS else text


def unquote_formulas(rows: list[RawRow]) -> None:
    """Undo what the CSV exports do to a cell that looks like a formula ("'=x" back to "=x"):
    the cell is stored as the text it was."""
    for row in rows:
        for column, value in row.values.items():
            if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
                row.values[column] = value[1:]


def import_rows(
    *,
    kind: CsvKind,
    network: Network,
    filename: str,
    content: bytes,
    dry_run: bool,
    actor: Person | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a CSV file of `kind` and, unless `dry_run`, import it: every row or none.

    `progress(done, total)` is called as rows are checked (0..rows) and, for a real import, as
    they are written (rows..2*rows)."""
    report = ImportReport(kind=kind.name, filename=filename, dry_run=dry_run)
    if too_large(content, report):
        return report
    text = decode(content, report)
    if text is None:
        return report
    raw_rows = read_csv(
        text,
        columns=kind.columns,
        required=kind.required,
        ignored=kind.ignored,
        aliases=kind.aliases,
        report=report,
    )
    if not raw_rows:
        return report
    unquote_formulas(raw_rows)
    unreadable = {error.line for error in report.errors}
    report.total_rows = len(raw_rows) + len(unreadable)
    tick = Ticker(progress, report.total_rows * (1 if dry_run else 2))
    tick(0, force=True)
    context = CheckContext(
        network=network, actor=actor, filename=filename, dry_run=dry_run, report=report, tick=tick
    )
    if dry_run:
        kind.check(raw_rows, context)
    else:
        try:
            # The lookups run inside the transaction, so nobody can slip in between them and
            # the writes (SQLite takes the write lock at BEGIN IMMEDIATE).
            with transaction.atomic():
                plan = kind.check(raw_rows, context)
                tick(len(raw_rows), force=True)
                if not report.errors:
                    plan.write(WriteTicker(tick, report.total_rows, plan.size()))
                else:
                    transaction.set_rollback(True)  # e.g. default stages made for the check
            report.committed = not report.errors
        except IntegrityError:
            logger.warning("%s import into %s collided with a change", kind.name, network.slug)
            report.error(
                0,
                "",
                _("Someone changed the same records while this import ran, so nothing was "
                  "written. Run the import again."),
            )  # fmt: skip
        if report.committed:
            tick(tick.total)
    # By line, and within a line in the order of the columns.
    order = {column: index for index, column in enumerate(kind.columns)}
    report.errors.sort(key=lambda error: (error.line, order.get(error.column, len(order))))
    report.warnings.sort(key=lambda warning: warning.line)
    return report
