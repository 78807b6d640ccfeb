"""Member and organization import: CSV for people or organizations, vCard (.vcf) for people.

An import is checked first (a dry run: nothing is written) and the report says how many people or
organizations will be created, updated or left unchanged, and lists every bad row with its line
number, its column and what to fix. The real import checks everything again and writes all rows in
one transaction, or nothing at all when any row is bad.

`import_file()` does the work and is what the CLI (`manage.py import_people`) and the benchmarks
call; `import_job_create()` / `import_job_run()` run it in the background for the import pages,
with its progress stored on the `ImportJob`. The same entry points, pages and jobs import
resources (netweave/library/importing.py), products and investments (netweave/field/importing.py):
`import_file` hands those kinds to lib.csvimport.import_rows. The shared machinery (the report,
reading and decoding the file, progress, bulk writes) lives in netweave/lib/csvimport.py.

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

import functools
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from netweave.lib.csvimport import (
    LOOKUP_CHUNK,
    MAX_STORED_ERRORS,
    PREVIEW_ROWS,
    WRITE_BATCH,
    ImportReport,
    Progress,
    RawRow,
    RowError,
    RowProblems,
    by_name,
    decode,
    import_rows,
    read_csv,
    template_csv,
    too_large,
)
from netweave.lib.csvimport import New as _New
from netweave.lib.csvimport import Ticker as _Ticker
from netweave.lib.csvimport import WriteTicker as _WriteTicker
from netweave.lib.csvimport import by_lower as _by_lower
from netweave.lib.csvimport import choice_values as _values
from netweave.lib.csvimport import chunks as _chunks
from netweave.lib.csvimport import insert as _insert
from netweave.lib.csvimport import languages_by_name as _languages_by_name
from netweave.lib.csvimport import update_rows as _update_rows
from netweave.networks.models import Network
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

if TYPE_CHECKING:
    from netweave.lib.csvimport import CsvKind

__all__ = [
    "COLUMNS",
    "KINDS",
    "MAX_STORED_ERRORS",
    "ORGANIZATION_COLUMNS",
    "PEOPLE_COLUMNS",
    "PREVIEW_ROWS",
    "VCARD_SUFFIXES",
    "ImportNotAllowed",
    "ImportReport",
    "RowError",
    "csv_kind",
    "import_columns",
    "import_file",
    "import_job_commit",
    "import_job_create",
    "import_job_run",
    "import_template",
]

logger = logging.getLogger(__name__)

PEOPLE_COLUMNS = (
    "name", "email", "organization", "title", "country", "city", "languages", "expertise",
    "interests", "offers", "seeks", "bio", "role", "map_consent",
)  # fmt: skip
ORGANIZATION_COLUMNS = ("name", "kind", "country", "sector", "website", "description")
# Written by the directory export (csvio.EXPORT_COLUMNS) but not something an import sets.
IGNORED_COLUMNS = {"people": ("status", "joined"), "organizations": ()}
COLUMNS = {"people": PEOPLE_COLUMNS, "organizations": ORGANIZATION_COLUMNS}
# Members and organizations are imported here; resources (netweave.library.importing) and
# products and investments (netweave.field.importing) through lib.csvimport.import_rows.
KINDS = ("people", "organizations", "resources", "products", "investments")
VCARD_SUFFIXES = (".vcf", ".vcard")
# Where each person field comes from in a vCard, to name the "column" of a problem.
VCARD_PROPERTIES = {
    "name": "FN", "email": "EMAIL", "organization": "ORG", "title": "TITLE", "country": "ADR",
    "city": "ADR", "bio": "NOTE", "links": "URL",
}  # fmt: skip

MAX_LENGTHS = {"name": 200, "organization": 200, "title": 200, "city": 120, "sector": 120}
# Names people commonly write that are neither the ISO code nor django-countries' English name.
COUNTRY_ALIASES = {"uk": "GB", "great britain": "GB", "england": "GB", "united states": "US"}
# The example row of each template the import page offers.
EXAMPLES = {
    "people": {
        "name": "Amara Okafor", "email": "amara@example.org", "organization": "Lagos Health Lab",
        "title": "Research lead", "country": "NG", "city": "Lagos", "languages": "en;fr",
        "expertise": "HIV prevention;community health", "interests": "vaccines",
        "offers": "Field sites in Lagos", "seeks": "Partners for a trial", "bio": "",
        "role": "member", "map_consent": "named",
    },
    "organizations": {
        "name": "Lagos Health Lab", "kind": "university", "country": "NG",
        "sector": "Research", "website": "https://example.org", "description": "",
    },
}  # fmt: skip


def csv_kind(kind: str) -> CsvKind | None:
    """The import of `kind` when it is one that lib.csvimport.import_rows runs (not people or
    organizations, which this module imports itself)."""
    if kind == "resources":
        from netweave.library.importing import RESOURCES

        return RESOURCES
    if kind == "products":
        from netweave.field.importing import PRODUCTS

        return PRODUCTS
    if kind == "investments":
        from netweave.field.importing import INVESTMENTS

        return INVESTMENTS
    return None


def import_columns(kind: str) -> tuple[str, ...]:
    spec = csv_kind(kind)
    return spec.columns if spec is not None else COLUMNS[kind]


def import_template(*, network: Network, kind: str) -> str:
    """The CSV template of `kind`: its header row and one example row that passes the check."""
    spec = csv_kind(kind)
    if spec is not None:
        return template_csv(spec.columns, spec.example(network))
    return template_csv(COLUMNS[kind], EXAMPLES[kind])


class ImportNotAllowed(PeopleError):
    """An import job cannot be committed (it had errors, or is not a finished dry run)."""


# --- reading the file ----------------------------------------------------------------------------


def _read_csv(text: str, kind: str, report: ImportReport) -> list[RawRow]:
    return read_csv(text, columns=COLUMNS[kind], ignored=IGNORED_COLUMNS[kind], report=report)


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


# One row's problems, naming columns as the file does (CSV or vCard).
_Row = RowProblems


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
    # By name as written too: SQLite's lower() leaves "Î" alone, so "Île Santé" would be missed
    # and inserted again, against the case-insensitive unique name.
    organizations: dict[str, Organization | _New] = by_name(
        Organization.objects.all(), "name", (row.organization for row in rows)
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
    existing = by_name(Organization.objects.all(), "name", (row.name for row in rows))
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
    report.add_preview(row.line, row.name, action, changes)


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
    """Check a file of `kind` (see KINDS) and, unless `dry_run`, import it.

    `progress(done, total)` is called as rows are checked (0..rows) and, for a real import, as
    they are written (rows..2*rows). When any row is bad nothing is written, dry run or not."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    is_vcard = filename.lower().endswith(VCARD_SUFFIXES)
    spec = csv_kind(kind)
    if spec is not None and not is_vcard:
        return import_rows(
            kind=spec, network=network, filename=filename, content=content, dry_run=dry_run,
            actor=actor, progress=progress,
        )  # fmt: skip
    report = ImportReport(kind=kind, filename=filename, dry_run=dry_run)
    if too_large(content, report):
        return report
    if is_vcard and kind != "people":
        report.error(0, "", _("A vCard file holds people: import it as members, not %(kind)s.")
                     % {"kind": kind})  # fmt: skip
        return report
    text = decode(content, report)
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
                if kind == "people":
                    # Memberships were written in bulk, past the signal that puts new members on
                    # the network's member list (outreach/signals.py): put them on it here.
                    from netweave.outreach.subscriptions import member_list_sync

                    member_list_sync(network)
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
