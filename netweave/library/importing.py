"""Resource import: a CSV file of resources for the resource center, checked first (a dry run),
then written in one transaction, every row or none. Run by the import page and the CLI through
netweave.people.importing.import_file (kind "resources"); the machinery is lib/csvimport.py.

The columns (a header row names them, in any order and any case):

- ``title`` (required), ``kind`` (required: article, report, … or its English label such as
  "Funding opportunity"), ``url`` (required: a CSV cannot carry files; "example.org/x" is read as
  https://example.org/x).
- ``language``: one code (en, pt-br) or English name (French).
- ``topics``: names or short names (slugs) of the network's topics, separated by ";". An unknown
  topic is an error that lists the topics there are; topics are not made by an import.
- ``phases``: the network's life-cycle phases (catalyzing or "Catalyzing"), separated by ";".
- ``authors``, separated by ";": the email or the name of a member of this network becomes a
  member author; the name of a known organization an organization author; any other name is kept
  as written ("other authors"). An email that is not a member's is an error (an address is not
  published as an author's name).
- ``summary`` (Markdown), ``visibility`` (public, network — the default — or coordinators),
  ``status`` (published — the default, for an import is a coordinator's — submitted, in_review
  or archived), ``publication_date`` (2024-03-31, 2024-03 or 2024), ``review_by`` (a date;
  published resources get the usual review date when it is empty).
- ``translation_of``: the link or the title of the resource this one translates, in the network
  or in the same file; translations all point at the original.

Every resource is new: a link already in the resource center, or twice in the file, is an error
(an import does not change resources; edit them on their page). Each imported resource gets
revision 1 with the action "imported", and its search text, as if submitted by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.lib.csvimport import (
    LOOKUP_CHUNK,
    CheckContext,
    CsvKind,
    New,
    RawRow,
    RowProblems,
    WriteTicker,
    by_name,
    chunks,
    insert,
    split_list,
)
from netweave.library.models import Resource, ResourceRevision, Topic, Visibility
from netweave.networks.models import PHASE_LABELS, Network
from netweave.people.models import Membership, Organization

__all__ = ["RESOURCES", "RESOURCE_COLUMNS", "TopicTable", "check_resources"]

RESOURCE_COLUMNS = (
    "title", "kind", "url", "language", "topics", "phases", "authors", "summary", "visibility",
    "status", "publication_date", "review_by", "translation_of",
)  # fmt: skip
REQUIRED_COLUMNS = ("title", "kind", "url")
MAX_TITLE = 300
MAX_URL = 1000
MAX_OTHER_AUTHORS = 500
MAX_LISTED = 25  # topics or phases named in one message


class TopicTable:
    """The network's topics by short name and by name (any case), to read a topics cell."""

    def __init__(self, network: Network) -> None:
        self.by_slug: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.slugs: dict[int, str] = {}
        names = []
        for pk, name, slug in Topic.objects.filter(network=network).values_list(
            "pk", "name", "slug"
        ):
            self.by_slug[slug.lower()] = pk
            self.by_name[" ".join(name.lower().split())].append(pk)
            self.slugs[pk] = slug
            names.append(name)
        self.names = sorted(set(names), key=str.lower)

    def known(self) -> str:
        shown = ", ".join(self.names[:MAX_LISTED])
        return shown + (", …" if len(self.names) > MAX_LISTED else "")

    def resolve(self, row: RowProblems, column: str, value: str, *, many: bool = True) -> list[int]:
        """The ids of the topics a cell names, reporting the unknown and the ambiguous ones."""
        items = split_list(value) if many else ([" ".join(value.split())] if value else [])
        found: list[int] = []
        unknown: list[str] = []
        for item in items:
            key = item.lower()
            pk = self.by_slug.get(key)
            if pk is None:
                named = self.by_name.get(key, [])
                if len(named) > 1:
                    row.error(
                        column,
                        _("Several topics are called “%(name)s”; write the short name of the one "
                          "you mean: %(slugs)s.")
                        % {"name": item, "slugs": ", ".join(self.slugs[p] for p in named)},
                    )  # fmt: skip
                    continue
                pk = named[0] if named else None
            if pk is None:
                unknown.append(item)
            elif pk not in found:
                found.append(pk)
        if unknown:
            if self.names:
                message = _(
                    "Unknown topics: %(unknown)s. An import does not create topics; the topics of "
                    "this network are: %(known)s."
                ) % {"unknown": ", ".join(unknown), "known": self.known()}
            else:
                message = _(
                    "Unknown topics: %(unknown)s. This network has no topics yet: add them in the "
                    "resource center first, or leave the cell empty."
                ) % {"unknown": ", ".join(unknown)}
            row.error(column, message)
        return found


def url_key(url: str) -> str:
    """What makes two links the same: the host in any case, the path without a trailing slash,
    the query; not http or https, nor the #part."""
    parts = urlsplit(url)
    key = f"{parts.netloc.lower()}{parts.path.rstrip('/')}"
    return key + (f"?{parts.query}" if parts.query else "")


def _phase_table(network: Network) -> dict[str, str]:
    table: dict[str, str] = {}
    for phase in network.phase_model or []:
        table[" ".join(str(phase).lower().replace("_", " ").split())] = phase
        if phase in PHASE_LABELS:
            table.setdefault(str(PHASE_LABELS[phase]).lower(), phase)
    return table


@dataclass(slots=True)
class ResourceRow:
    line: int
    values: dict[str, Any]
    url_key: str = ""
    authors: list[str] = field(default_factory=list)
    translation_of: str = ""
    topics: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    organizations: list[int] = field(default_factory=list)
    # What it translates: ("existing", resource id), ("row", index in the file) or None.
    target: tuple[str, int] | None = None
    ok: bool = True


def _clean(raw: RawRow, network: Network, topics: TopicTable, phases: dict[str, str]) -> tuple[
    ResourceRow, RowProblems
]:  # fmt: skip
    values = raw.values
    problems = RowProblems(raw.line)
    title = problems.required(values, "title", MAX_TITLE)
    kind = problems.choice(values, "kind", Resource.Kind) if "kind" in values else ""
    if "kind" not in values:
        problems.error("kind", _("This cell is required and is empty."))
    url = problems.url(values, "url", MAX_URL) if "url" in values else ""
    if "url" not in values:
        problems.error(
            "url", _("This cell is required and is empty: every imported resource needs a link.")
        )
    phase_values: list[str] = []
    unknown_phases: list[str] = []
    for item in split_list(values.get("phases", "")):
        phase = phases.get(" ".join(item.lower().replace("_", " ").split()))
        if phase is None:
            unknown_phases.append(item)
        elif phase not in phase_values:
            phase_values.append(phase)
    if unknown_phases:
        problems.error(
            "phases",
            _("Unknown life-cycle phases: %(phases)s. This network's phases are: %(known)s.")
            % {"phases": ", ".join(unknown_phases), "known": ", ".join(network.phase_model or [])},
        )
    status = problems.choice(values, "status", Resource.Status) or Resource.Status.PUBLISHED
    publication_date = problems.date(values, "publication_date", year_alone=True)
    fields: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "url": url,
        "language": problems.language(values, "language"),
        "phases": phase_values,
        "summary": values.get("summary", ""),
        "visibility": problems.choice(values, "visibility", Visibility) or Visibility.NETWORK,
        "status": status,
        "publication_date": publication_date,
        "year": publication_date.year if publication_date else None,
        "review_by": problems.date(values, "review_by"),
    }
    row = ResourceRow(
        line=raw.line,
        values=fields,
        url_key=url_key(url) if url else "",
        authors=split_list(values.get("authors", "")),
        translation_of=" ".join(values.get("translation_of", "").split()),
        topics=topics.resolve(problems, "topics", values.get("topics", "")),
    )
    return row, problems


@dataclass(slots=True)
class _Stored:
    pk: int
    title: str
    translation_of_id: int | None


class _Authors:
    """The network's members by email and by name, and known organizations by name."""

    def __init__(self, network: Network, rows: Sequence[ResourceRow]) -> None:
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.organizations: dict[str, Any] = {}
        names = [author for row in rows for author in row.authors]
        if not names:
            return
        members = Membership.objects.filter(network=network).values_list(
            "person_id", "person__name", "person__email"
        )
        for person_id, name, email in members.iterator(chunk_size=2000):
            if email:
                self.by_email[email.lower()] = person_id
            self.by_name[" ".join(name.lower().split())].add(person_id)
        self.organizations = by_name(
            Organization.objects.all(), "name", [n for n in names if "@" not in n]
        )

    def resolve(self, row: ResourceRow, problems: RowProblems) -> str:
        """Sort a row's authors into members, organizations and other authors (returned)."""
        others: list[str] = []
        for author in row.authors:
            key = author.lower()
            if "@" in author:
                address = key.removeprefix("mailto:")
                try:
                    validate_email(address)
                except ValidationError:
                    problems.error(
                        "authors", _("“%(value)s” is not an email address.") % {"value": author}
                    )
                    continue
                person_id = self.by_email.get(address)
                if person_id is None:
                    problems.error(
                        "authors",
                        _("%(email)s is not the email of a member of this network. Write the "
                          "author's name instead.") % {"email": author},
                    )  # fmt: skip
                elif person_id not in row.people:
                    row.people.append(person_id)
                continue
            people = self.by_name.get(key, set())
            if len(people) > 1:
                problems.error(
                    "authors",
                    _("Several members of this network are called %(name)s; write the email of "
                      "the one you mean.") % {"name": author},
                )  # fmt: skip
            elif people:
                person_id = next(iter(people))
                if person_id not in row.people:
                    row.people.append(person_id)
            elif key in self.organizations:
                organization_id = self.organizations[key].pk
                if organization_id not in row.organizations:
                    row.organizations.append(organization_id)
            else:
                others.append(author)
        other_authors = "; ".join(others)
        if len(other_authors) > MAX_OTHER_AUTHORS:
            problems.error(
                "authors",
                _("The authors who are not members or known organizations take %(length)d "
                  "characters; at most %(max)d fit.")
                % {"length": len(other_authors), "max": MAX_OTHER_AUTHORS},
            )  # fmt: skip
            return ""
        return other_authors


def _stored_links(network: Network) -> dict[str, _Stored]:
    stored: dict[str, _Stored] = {}
    rows = Resource.objects.filter(network=network).exclude(url="")
    for pk, url, title, original in rows.values_list(
        "pk", "url", "title", "translation_of_id"
    ).iterator(chunk_size=2000):
        stored.setdefault(url_key(url), _Stored(pk, title, original))
    return stored


def _looks_like_link(value: str) -> bool:
    return "://" in value or value.lower().startswith("www.")


def _find_targets(
    rows: list[ResourceRow],
    problems: list[RowProblems],
    *,
    network: Network,
    stored: dict[str, _Stored],
) -> None:
    """Set each row's `target`: the resource it translates, in the network or in the file."""
    by_link: dict[str, int] = {}
    by_title: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        if row.url_key:
            by_link.setdefault(row.url_key, index)
        by_title[" ".join(str(row.values["title"]).lower().split())].append(index)
    titles = [
        row.translation_of
        for row in rows
        if row.translation_of and not _looks_like_link(row.translation_of)
    ]
    stored_titles: dict[str, list[_Stored]] = defaultdict(list)
    if titles:
        # Every resource of each title (a title may be shared): by the database's lower() and,
        # for titles written exactly as stored, by the title itself (SQLite lowers ASCII only).
        queryset = Resource.objects.filter(network=network).annotate(key=Lower("title"))
        wanted = sorted(set(titles))
        seen: set[int] = set()
        for part, lookup in (({t.lower() for t in wanted}, "key__in"), (wanted, "title__in")):
            for chunk in chunks(sorted(part), LOOKUP_CHUNK):
                for pk, title, original in queryset.filter(**{lookup: chunk}).values_list(
                    "pk", "title", "translation_of_id"
                ):
                    if pk not in seen:
                        seen.add(pk)
                        key = " ".join(title.lower().split())
                        stored_titles[key].append(_Stored(pk, title, original))
    for index, (row, problem) in enumerate(zip(rows, problems, strict=True)):
        value = row.translation_of
        if not value:
            continue
        if _looks_like_link(value):
            key = url_key(value if "://" in value else "https://" + value)
            if key in by_link:
                row.target = ("row", by_link[key])
            elif key in stored:
                row.target = ("existing", stored[key].pk)
            else:
                problem.error(
                    "translation_of",
                    _("No resource of this network or of this file has the link %(link)s.")
                    % {"link": value},
                )
        else:
            key = value.lower()
            in_file = by_title.get(key, [])
            in_network = stored_titles.get(key, [])
            if len(in_file) + len(in_network) > 1:
                problem.error(
                    "translation_of",
                    _("Several resources are titled “%(title)s”; write the link of the one this "
                      "translates.") % {"title": value},
                )  # fmt: skip
            elif in_file:
                row.target = ("row", in_file[0])
            elif in_network:
                row.target = ("existing", in_network[0].pk)
            else:
                problem.error(
                    "translation_of",
                    _("No resource of this network or of this file is titled “%(title)s”.")
                    % {"title": value},
                )
        if row.target == ("row", index):
            problem.error("translation_of", _("A resource cannot be a translation of itself."))
            row.target = None


def _resolve_originals(
    rows: list[ResourceRow], problems: list[RowProblems], originals: Mapping[int, int | None]
) -> None:
    """Translations all point at the original: follow each target to the resource that
    translates nothing. `originals` gives, for resources of the network, what they translate."""
    direct = [row.target for row in rows]
    for index, row in enumerate(rows):
        seen = {index}
        target = direct[index]
        while target is not None and target[0] == "row":
            if target[1] in seen:
                problems[index].error(
                    "translation_of",
                    _("The rows translate one another in a circle; one of them must be the "
                      "original, with an empty translation_of."),
                )  # fmt: skip
                target = None
                break
            seen.add(target[1])
            following = direct[target[1]]
            if following is None:
                break
            target = following
        if target is not None and target[0] == "existing":
            original = originals.get(target[1])
            target = ("existing", original if original is not None else target[1])
        row.target = target


@dataclass
class ResourcePlan:
    network: Network
    actor: Any
    filename: str
    rows: list[ResourceRow]
    now: Any
    resources: list[New] = field(default_factory=list)

    def size(self) -> int:
        links = sum(len(r.topics) + len(r.people) + len(r.organizations) for r in self.rows)
        return 3 * len(self.rows) + links  # insert, revision, search text; plus the links

    def write(self, writes: WriteTicker) -> None:
        # Originals first, so that the translations in the file can point at them.
        self.resources = [self._new(row) for row in self.rows]
        first = [
            new for new, row in zip(self.resources, self.rows, strict=True) if not _in_file(row)
        ]
        second = [new for new, row in zip(self.resources, self.rows, strict=True) if _in_file(row)]
        insert(Resource, first, writes, returning=True)
        for new, row in zip(self.resources, self.rows, strict=True):
            if row.target is not None and row.target[0] == "row":
                new.values["translation_of"] = self.resources[row.target[1]]
        insert(Resource, second, writes, returning=True)
        topic_links, people_links, organization_links, revisions = [], [], [], []
        for new, row in zip(self.resources, self.rows, strict=True):
            topic_links += [New(resource=new, topic=pk) for pk in row.topics]
            people_links += [New(resource=new, person=pk) for pk in row.people]
            organization_links += [New(resource=new, organization=pk) for pk in row.organizations]
            revisions.append(
                New(
                    network=self.network, resource=new, number=1,
                    action=ResourceRevision.Action.IMPORTED, editor=self.actor, changed=[],
                    data=self._snapshot(new, row), note=_("Imported from %(file)s, line %(line)d")
                    % {"file": self.filename, "line": row.line},
                    created_at=self.now,
                )
            )  # fmt: skip
        insert(Resource.topics.through, topic_links, writes)
        insert(Resource.author_people.through, people_links, writes)
        insert(Resource.author_organizations.through, organization_links, writes)
        insert(ResourceRevision, revisions, writes)
        _reindex([new.pk for new in self.resources if new.pk is not None], writes)

    def _new(self, row: ResourceRow) -> New:
        values = dict(row.values)
        if row.target is not None and row.target[0] == "existing":
            values["translation_of"] = row.target[1]
        if values["status"] == Resource.Status.PUBLISHED:
            from netweave.library.services import default_review_by

            values["published_at"] = self.now
            if values["review_by"] is None:
                values["review_by"] = default_review_by(timezone.localdate(self.now))
        return New(network=self.network, submitted_by=self.actor, created_at=self.now, **values)

    def _snapshot(self, new: New, row: ResourceRow) -> dict[str, Any]:
        """What library.services.resource_snapshot gives for the resource once it is written,
        without reading it back (one query per resource would cost more than the import)."""
        values = new.values
        original = values.get("translation_of")
        return {
            "title": values["title"],
            "kind": values["kind"],
            "url": values["url"],
            "file": "",
            "file_type": "",
            "file_size": None,
            "language": values["language"],
            "translation_of": original if original is None or isinstance(original, int)
            else original.pk,
            "topics": sorted(row.topics),
            "phases": list(values["phases"]),
            "author_people": sorted(row.people),
            "author_organizations": sorted(row.organizations),
            "other_authors": values["other_authors"],
            "summary": values["summary"],
            "visibility": values["visibility"],
            "status": values["status"],
            "publication_date": _day(values["publication_date"]),
            "review_by": _day(values["review_by"]),
        }  # fmt: skip


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _in_file(row: ResourceRow) -> bool:
    return row.target is not None and row.target[0] == "row"


def _reindex(ids: list[int], writes: WriteTicker) -> None:
    """The search text and year of the new resources (library.search owns how they are made)."""
    from netweave.library.search import resources_reindex

    for chunk in chunks(ids, LOOKUP_CHUNK):
        done = 0

        def progress(count: int, _total: int) -> None:
            nonlocal done
            writes.add(count - done)
            done = count

        resources_reindex(ids=list(chunk), progress=progress)
        writes.add(len(chunk) - done)


def check_resources(raw_rows: list[RawRow], context: CheckContext) -> ResourcePlan:
    network, report = context.network, context.report
    topics = TopicTable(network)
    phases = _phase_table(network)
    rows: list[ResourceRow] = []
    problems: list[RowProblems] = []
    for index, raw in enumerate(raw_rows, start=1):
        row, problem = _clean(raw, network, topics, phases)
        rows.append(row)
        problems.append(problem)
        context.tick(index)

    stored = _stored_links(network)
    first_line: dict[str, int] = {}
    for row, problem in zip(rows, problems, strict=True):
        if not row.url_key:
            continue
        if row.url_key in first_line:
            problem.error(
                "url",
                _("This link is also on line %(first)d; keep one of the two rows.")
                % {"first": first_line[row.url_key]},
            )
            continue
        first_line[row.url_key] = row.line
        if row.url_key in stored:
            problem.error(
                "url",
                _("“%(title)s” in the resource center already has this link. An import adds "
                  "resources and does not change them: remove this row, or edit that resource.")
                % {"title": stored[row.url_key].title},
            )  # fmt: skip

    authors = _Authors(network, rows)
    for row, problem in zip(rows, problems, strict=True):
        row.values["other_authors"] = authors.resolve(row, problem)

    _find_targets(rows, problems, network=network, stored=stored)
    existing_targets = [row.target[1] for row in rows if row.target and row.target[0] == "existing"]
    originals = dict(
        Resource.objects.filter(pk__in=existing_targets).values_list("pk", "translation_of_id")
    ) if existing_targets else {}  # fmt: skip
    _resolve_originals(rows, problems, originals)

    good: list[ResourceRow] = []
    for row, problem in zip(rows, problems, strict=True):
        if problem.errors:
            report.errors.extend(problem.errors)
            continue
        good.append(row)
        report.to_create += 1
        report.add_preview(row.line, str(row.values["title"]), "create", [])
    return ResourcePlan(
        network=network, actor=context.actor, filename=context.filename, rows=good,
        now=context.now,
    )  # fmt: skip


def example_row(network: Network) -> dict[str, str]:
    """The example row of the template: it passes the check in `network` as it is."""
    topic = Topic.objects.filter(network=network).order_by("position", "name").first()
    phases = list(network.phase_model or [])
    return {
        "title": "Community health worker training guide",
        "kind": "guidance",
        "url": "https://example.org/guides/chw-training",
        "language": "en",
        "topics": topic.name if topic else "",
        "phases": phases[0] if phases else "",
        "authors": "Jane Example; Example Health Institute",
        "summary": "A **practical guide** to training community health workers.",
        "visibility": "network",
        "status": "published",
        "publication_date": "2024-03",
        "review_by": "",
        "translation_of": "",
    }


RESOURCES = CsvKind(
    name="resources",
    columns=RESOURCE_COLUMNS,
    required=REQUIRED_COLUMNS,
    check=check_resources,
    example=example_row,
)
