"""Tie import: a CSV edge list, GraphML or GEXF, checked first (dry run), then written in one go.

What a file holds:

- **CSV**: a header row with ``source`` and ``target`` and optionally ``kind``, ``weight``,
  ``directed``, ``observed_at`` and ``note`` (any order and case; commas, semicolons or tabs).
  ``source`` and ``target`` name a member by **email address** (case does not matter) or by
  **person id** (a number, as in our own exports). ``kind`` is one of `Tie.Kind` (the form's kind
  when empty); ``weight`` a number above 0 (1 when empty); ``directed`` yes/no, true/false or
  1/0 (no when empty); ``observed_at`` a date (2025-03-01) or date and time (ISO 8601, UTC when
  it names no time zone), now when empty.
- **GraphML / GEXF**, read by netweave.analysis.readers: each node is a member, found by its
  ``email`` attribute, else its ``person_id`` or ``id`` attribute, else its node id when that is a
  number (our exports use person ids). Every edge gets the form's kind; weights and direction come
  from the file. The reader merges repeated edges (weights added) and drops self-loops; the report
  says so.

Rules: both ends must be active members of the network; a tie from someone to themself, an unknown
person, a bad kind, weight, flag or date is an error naming the line (CSV) or node or edge (XML)
and what to fix. A row repeating an earlier row of the file (same two people and kind) is an error.
A tie that already exists and is live (same two people, same kind) is left as it is and counted as
unchanged, so importing a file twice adds nothing. When any row is bad nothing is written, dry run
or not; otherwise every tie is written in one transaction, with provenance "imported".
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from netweave.lib.csvimport import decode_upload
from netweave.networks.models import Network
from netweave.people.importing import RowError
from netweave.people.models import Membership, Person
from netweave.ties.models import Tie

__all__ = ["CSV_COLUMNS", "TieImportReport", "ties_import"]

CSV_COLUMNS = ("source", "target", "kind", "weight", "directed", "observed_at", "note")
TRUE = {"1", "true", "yes", "y", "directed"}
FALSE = {"", "0", "false", "no", "n", "undirected"}
MAX_STORED_ERRORS = 1000
LOOKUP_CHUNK = 900


@dataclass
class TieImportReport:
    filename: str = ""
    file_format: str = ""
    dry_run: bool = True
    total_rows: int = 0
    to_create: int = 0
    unchanged: int = 0
    committed: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, where: str, message: str) -> None:
        self.errors.append(RowError(line, where, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "format": self.file_format,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "total_rows": self.total_rows,
            "to_create": self.to_create,
            "unchanged": self.unchanged,
            "error_count": len(self.errors),
            "errors": [asdict(error) for error in self.errors[:MAX_STORED_ERRORS]],
            "warnings": [asdict(warning) for warning in self.warnings[:MAX_STORED_ERRORS]],
        }


@dataclass
class _Row:
    line: int
    where: str  # "source" column, or "node 'n3'" / "edge 'a' -> 'b'"
    source: str
    target: str
    kind: str
    weight: float = 1.0
    directed: bool = False
    observed_at: datetime | None = None
    note: str = ""
    nodes: tuple[Hashable, Hashable] | None = None  # the file's node ids (GraphML, GEXF)


# --- reading -------------------------------------------------------------------------------------


def _column_key(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def _read_csv(text: str, default_kind: str, report: TieImportReport) -> list[_Row]:
    lines = text.lstrip("\r\n").splitlines()
    if not lines or not text.strip():
        report.error(0, "", _("The file is empty."))
        return []
    counts = {d: lines[0].count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        report.error(
            reader.line_num,
            "",
            _("This line cannot be read as CSV (%(problem)s).") % {"problem": error},
        )
        return []
    header = [_column_key(cell) for cell in records[0]]
    unknown = [cell for cell in header if cell and cell not in CSV_COLUMNS]
    for cell in unknown:
        report.error(
            1,
            cell,
            _("Unknown column “%(column)s”; the columns are: %(known)s.")
            % {"column": cell, "known": ", ".join(CSV_COLUMNS)},
        )
    for needed in ("source", "target"):
        if needed not in header:
            report.error(
                1,
                needed,
                _(
                    "The header row needs a “%(column)s” column (an email "
                    "address or a person id on each row)."
                )
                % {"column": needed},
            )
    if report.errors:
        return []
    rows: list[_Row] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            key: (record[i].strip() if i < len(record) else "") for i, key in enumerate(header)
        }
        row = _Row(number, "", cells["source"], cells["target"], default_kind)
        rows.append(row)
        kind = cells.get("kind", "")
        if kind:
            row.kind = kind.lower().replace(" ", "_")
        if cells.get("weight"):
            try:
                row.weight = float(cells["weight"].replace(",", "."))
            except ValueError:
                row.weight = float("nan")
        flag = cells.get("directed", "").lower()
        if flag in TRUE:
            row.directed = True
        elif flag not in FALSE:
            report.error(number, "directed", _("“%(value)s” is not yes or no.") % {"value": flag})
        when = cells.get("observed_at", "")
        if when:
            row.observed_at = _parse_when(when)
            if row.observed_at is None:
                report.error(
                    number,
                    "observed_at",
                    _("“%(value)s” is not a date; write it as 2025-03-01 or 2025-03-01T14:30.")
                    % {"value": when},
                )
        row.note = cells.get("note", "")
    if not rows and not report.errors:
        report.error(0, "", _("The file has a header row but no ties."))
    return rows


def _parse_when(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                return None
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _node_key(node: Hashable, attributes: dict[str, Any]) -> str:
    for name in ("email", "person_id", "id"):
        value = attributes.get(name)
        if value not in (None, ""):
            return (
                str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            )
    return str(node)


def _read_xml(path: str, default_kind: str, report: TieImportReport) -> list[_Row]:
    from netweave.analysis import GraphFormatError, read_graph

    try:
        graph = read_graph(path)
    except GraphFormatError as error:
        report.error(0, "", str(error).replace(os.path.basename(path), report.filename))
        return []
    for warning in graph.warnings:
        report.warnings.append(RowError(0, "", warning))
    keys = {node: _node_key(node, graph.attributes(node)) for node in graph.nodes}
    weights = graph.weights() or [1.0] * graph.number_of_edges()
    rows = []
    for number, ((source, target), weight) in enumerate(
        zip(graph.edges(), weights, strict=True), start=1
    ):
        row = _Row(
            number,
            f"edge {source!r} -> {target!r}",
            keys[source],
            keys[target],
            default_kind,
            weight=weight,
            directed=graph.directed,
            nodes=(source, target),
        )
        rows.append(row)
    if not rows:
        report.error(0, "", _("The file holds no edges."))
    return rows


# --- checking ------------------------------------------------------------------------------------


def _members(network: Network, keys: set[str]) -> dict[str, Person | str]:
    """Each email or id of the file → the active member, or why it is not one."""
    emails = sorted(key.lower() for key in keys if "@" in key)
    ids = sorted(int(key) for key in keys if key.isdigit())
    people: dict[str, Person] = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        chunk = emails[start : start + LOOKUP_CHUNK]
        for match in Person.objects.annotate(lower_email=Lower("email")).filter(
            lower_email__in=chunk
        ):
            people[match.email.lower()] = match
    for start in range(0, len(ids), LOOKUP_CHUNK):
        for by_id in Person.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK]):
            people[str(by_id.pk)] = by_id
    active = set(
        Membership.objects.filter(
            network=network,
            status=Membership.Status.ACTIVE,
            person_id__in=[person.pk for person in people.values()],
        ).values_list("person_id", flat=True)
    )
    found: dict[str, Person | str] = {}
    for key in keys:
        lookup = key.lower() if "@" in key else key
        person = people.get(lookup)
        if not key:
            found[key] = _("this cell is empty; give a member's email address or person id")
        elif "@" not in key and not key.isdigit():
            found[key] = _("“%(value)s” is neither an email address nor a person id") % {
                "value": key
            }
        elif person is None:
            found[key] = _("nobody with %(value)s is known here; import them as members first") % {
                "value": key
            }
        elif person.pk not in active:
            found[key] = _("%(name)s (%(value)s) is not an active member of this network") % {
                "name": person.name,
                "value": key,
            }
        else:
            found[key] = person
    return found


def _check(network: Network, rows: list[_Row], report: TieImportReport, is_csv: bool) -> list[Tie]:
    found = _members(network, {row.source for row in rows} | {row.target for row in rows})
    reported_nodes: set[Hashable] = set()
    first: dict[tuple[int, int, str], int] = {}
    ties: list[Tie] = []
    now = timezone.now()
    flagged = {error.line for error in report.errors if error.line} if is_csv else set()
    for row in rows:
        bad = row.line in flagged
        for end, key in (("source", row.source), ("target", row.target)):
            person = found[key]
            if isinstance(person, str):
                bad = True
                if is_csv:
                    report.error(row.line, end, person)
                else:
                    assert row.nodes is not None
                    node = row.nodes[0 if end == "source" else 1]
                    if node not in reported_nodes:
                        reported_nodes.add(node)
                        report.error(0, f"node {node!r}", person)
        where = "kind" if is_csv else row.where
        if row.kind not in Tie.Kind.values:
            bad = True
            report.error(
                row.line,
                where,
                _("“%(kind)s” is not a kind of tie; use one of: %(kinds)s.")
                % {"kind": row.kind, "kinds": ", ".join(Tie.Kind.values)},
            )
        if not row.weight > 0:  # also catches NaN
            bad = True
            report.error(
                row.line,
                "weight" if is_csv else row.where,
                _("The weight must be a number greater than 0."),
            )
        if bad:
            continue
        source, target = found[row.source], found[row.target]
        assert isinstance(source, Person) and isinstance(target, Person)
        if source.pk == target.pk:
            report.error(
                row.line,
                "target" if is_csv else row.where,
                _("A tie links two different people; %(name)s is at both ends.")
                % {"name": source.name},
            )
            continue
        low, high = sorted((source.pk, target.pk))
        pair = (low, high, row.kind) if not row.directed else (source.pk, target.pk, row.kind)
        if pair in first:
            report.error(
                row.line,
                "",
                _("The same tie is also on line %(line)d; keep one of the two rows.")
                % {"line": first[pair]},
            )
            continue
        first[pair] = row.line
        ties.append(
            Tie(
                network=network,
                source=source,
                target=target,
                kind=row.kind,
                weight=row.weight,
                directed=row.directed,
                provenance=Tie.Provenance.IMPORTED,
                observed_at=row.observed_at or now,
                note=row.note,
                evidence=f"import:{report.filename}"[:120],
                created_at=now,
            )
        )
    return ties


def _existing_pairs(network: Network, ties: list[Tie]) -> set[tuple[int, int, str]]:
    people = sorted({tie.source.pk for tie in ties} | {tie.target.pk for tie in ties})
    existing: set[tuple[int, int, str]] = set()
    for start in range(0, len(people), LOOKUP_CHUNK):
        chunk = people[start : start + LOOKUP_CHUNK]
        for source, target, kind in Tie.objects.filter(
            Q(source_id__in=chunk) | Q(target_id__in=chunk),
            network=network,
            ended_at__isnull=True,
        ).values_list("source_id", "target_id", "kind"):
            existing.add((min(source, target), max(source, target), kind))
    return existing


# --- the import ----------------------------------------------------------------------------------


def ties_import(
    *,
    network: Network,
    filename: str,
    content: bytes,
    dry_run: bool,
    default_kind: str = Tie.Kind.KNOWS,
    created_by: Person | None = None,
) -> TieImportReport:
    """Check a file of ties and, unless `dry_run` or any row is bad, write every tie."""
    from netweave.analysis import GraphFormatError, sniff_format

    report = TieImportReport(filename=filename, dry_run=dry_run)
    if not content.strip():
        report.error(0, "", _("The file is empty."))
        return report
    suffix = os.path.splitext(filename)[1].lower() or ".csv"
    with tempfile.TemporaryDirectory(prefix="netweave-ties-") as folder:
        path = os.path.join(folder, f"upload{suffix}")
        with open(path, "wb") as handle:
            handle.write(content)
        try:
            report.file_format = sniff_format(path)
        except GraphFormatError as error:
            report.error(0, "", str(error))
            return report
        if report.file_format == "csv":
            try:
                text = decode_upload(content)
            except ValueError as error:
                report.error(0, "", str(error))
                return report
            rows = _read_csv(text, default_kind, report)
        else:
            rows = _read_xml(path, default_kind, report)
    is_csv = report.file_format == "csv"
    report.total_rows = len(rows)
    if not rows:
        return report
    with transaction.atomic():
        ties = _check(network, rows, report, is_csv)
        existing = _existing_pairs(network, ties) if ties else set()
        new = []
        for tie in ties:
            key = (min(tie.source.pk, tie.target.pk), max(tie.source.pk, tie.target.pk), tie.kind)
            if key in existing:
                report.unchanged += 1
            else:
                new.append(tie)
                tie.created_by = created_by
        report.to_create = len(new)
        report.errors.sort(key=lambda error: error.line)
        if not dry_run and not report.errors:
            Tie.objects.bulk_create(new, batch_size=2000)
            report.committed = True
    return report
