"""Every write of the resource center goes through here: submitting and editing resources, the
curation life cycle (submitted → in review → published → archived → published again), reverting
to an old revision, the topic tree, uploads and the link checker.

Views, the API, the CLI, tasks and importers call these functions. Input is assumed to be parsed
by the caller (forms, API schemas); a request that breaks a rule of the resource center raises
`LibraryError` (a message safe to show; the API answers 409). A file that may not be stored raises
`UploadRejected` (bad input: the view or API answers 400). Every change to a resource writes a
`ResourceRevision` with the names of the fields that changed and the resource as it is after."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from netweave.library.models import Resource, ResourceRevision, Topic, Visibility
from netweave.networks.models import Network
from netweave.people.models import Membership, Organization, Person

logger = logging.getLogger(__name__)

LINK_ERROR_MAX = 300
LINK_BODY_BYTES = 64 * 1024  # the checker needs the status, not the page


class LibraryError(Exception):
    """A request that breaks a rule of the resource center; its message is safe to show."""


class StatusChangeNotAllowed(LibraryError):
    """The resource cannot go from its current status to the one asked for."""


class TopicError(LibraryError):
    """A change to the topic tree that would break it (a cycle, a clash of short names, deleting
    a topic that still has resources or sub-topics)."""


class UploadRejected(ValueError):
    """A file that may not be stored (too large, a type that is not allowed, content that is not
    what its name says). Bad input, not a clash: views and the API answer 400 with the message."""


# --- helpers -------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, on the last day of the month when the day does not exist.

    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    >>> add_months(date(2024, 11, 15), 14)
    datetime.date(2026, 1, 15)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def default_review_by(today: date | None = None) -> date:
    """When a resource published today should be looked at again."""
    return add_months(today or timezone.localdate(), settings.NETWEAVE_LIBRARY_REVIEW_MONTHS)


# The fields a revision keeps and `resource_update` and `resource_revert` may change.
SCALAR_FIELDS = (
    "title",
    "kind",
    "url",
    "language",
    "summary",
    "phases",
    "other_authors",
    "visibility",
    "publication_date",
    "review_by",
)
M2M_FIELDS = ("topics", "author_people", "author_organizations")
EDITABLE_FIELDS = frozenset((*SCALAR_FIELDS, *M2M_FIELDS, "file", "translation_of"))


def resource_snapshot(resource: Resource) -> dict[str, Any]:
    """The resource's fields as JSON (what a revision keeps). Related rows by id, sorted."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "title": resource.title,
        "kind": resource.kind,
        "url": resource.url,
        "file": resource.file.name if resource.file else "",
        "file_type": resource.file_type,
        "file_size": resource.file_size,
        "language": resource.language,
        "translation_of": resource.translation_of_id,
        "topics": sorted(resource.topics.values_list("pk", flat=True)),
        "phases": list(resource.phases or []),
        "author_people": sorted(resource.author_people.values_list("pk", flat=True)),
        "author_organizations": sorted(resource.author_organizations.values_list("pk", flat=True)),
        "other_authors": resource.other_authors,
        "summary": resource.summary,
        "visibility": resource.visibility,
        "status": resource.status,
        "publication_date": day(resource.publication_date),
        "review_by": day(resource.review_by),
    }


def _revision(
    resource: Resource,
    *,
    action: str,
    by: Person | None,
    changed: Iterable[str] = (),
    note: str = "",
    now: datetime | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ResourceRevision:
    # The resource's row is locked by the caller's transaction (or freshly created), so the next
    # number cannot be taken twice.
    last = resource.revisions.aggregate(last=Max("number"))["last"] or 0
    return ResourceRevision.objects.create(
        network_id=resource.network_id,
        resource=resource,
        number=last + 1,
        action=action,
        editor=by,
        changed=list(changed),
        data={**resource_snapshot(resource), **(extra or {})},
        note=(note or "").strip()[:5000],
        created_at=now or timezone.now(),
    )


def _reindex(resource: Resource) -> None:
    """Keep the full-text index current (netweave.library.search owns it)."""
    from netweave.library.search import resource_reindex

    resource_reindex(resource)


def _lock(resource: Resource) -> Resource:
    """The resource's row, locked until the end of the transaction, with fresh values."""
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _check_choice(value: str, choices: Iterable[str], what: str) -> None:
    allowed = list(choices)
    if value not in allowed:
        raise LibraryError(
            _("“%(value)s” is not a %(what)s; choose one of: %(allowed)s.")
            % {"value": value, "what": what, "allowed": ", ".join(allowed)}
        )


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise LibraryError(_("A resource needs a title."))
    return title[:300]


def _clean_phases(network: Network, phases: Iterable[str]) -> list[str]:
    values = [str(phase).strip() for phase in phases if str(phase).strip()]
    known = list(network.phase_model or [])
    unknown = [phase for phase in values if phase not in known]
    if unknown:
        raise LibraryError(
            _("Unknown life-cycle phases: %(phases)s. This network's phases are: %(known)s.")
            % {"phases": ", ".join(unknown), "known": ", ".join(known)}
        )
    return list(dict.fromkeys(values))


def _clean_topics(network: Network, topics: Iterable[Topic | int]) -> list[Topic]:
    wanted = [topic.pk if isinstance(topic, Topic) else int(topic) for topic in topics]
    found = list(Topic.objects.filter(network=network, pk__in=wanted))
    if len(found) != len(set(wanted)):
        raise LibraryError(_("Some of the topics are not topics of this network."))
    return found


def _clean_people(network: Network, people: Iterable[Person | int]) -> list[Person]:
    wanted = [person.pk if isinstance(person, Person) else int(person) for person in people]
    members = Membership.objects.filter(network=network, person_id__in=wanted)
    found = list(Person.objects.filter(pk__in=members.values("person_id")))
    if len(found) != len(set(wanted)):
        raise LibraryError(_("Authors named as members must be members of this network."))
    return found


def _clean_organizations(organizations: Iterable[Organization | int]) -> list[Organization]:
    wanted = [org.pk if isinstance(org, Organization) else int(org) for org in organizations]
    found = list(Organization.objects.filter(pk__in=wanted))
    if len(found) != len(set(wanted)):
        raise LibraryError(_("Some of the author organizations do not exist."))
    return found


def _clean_translation_of(
    network: Network, original: Resource | int | None, resource: Resource | None = None
) -> Resource | None:
    """Translations all point at the same original, which points at none."""
    if original is None:
        return None
    pk = original.pk if isinstance(original, Resource) else int(original)
    found = Resource.objects.filter(network=network, pk=pk).first()
    if found is None:
        raise LibraryError(_("The resource this translates is not in this network."))
    if found.translation_of_id is not None:
        found = Resource.objects.get(pk=found.translation_of_id)
    if resource is not None and found.pk == resource.pk:
        raise LibraryError(_("A resource cannot be a translation of itself."))
    if resource is not None and resource.translations.exists():
        raise LibraryError(
            _(
                "Other resources are translations of this one, so it stays their original. "
                "Make the other resource a translation of this one instead."
            )
        )
    return found


def _status_action(status: str) -> str:
    return {
        Resource.Status.SUBMITTED: ResourceRevision.Action.SUBMITTED,
        Resource.Status.IN_REVIEW: ResourceRevision.Action.IN_REVIEW,
        Resource.Status.PUBLISHED: ResourceRevision.Action.PUBLISHED,
        Resource.Status.ARCHIVED: ResourceRevision.Action.ARCHIVED,
    }[Resource.Status(status)]


def _on_publish(resource: Resource, now: datetime) -> list[str]:
    """Publishing stamps the first publication time and a review-by date (unless set)."""
    changed = []
    if resource.published_at is None:
        resource.published_at = now
        changed.append("published_at")
    if resource.review_by is None:
        resource.review_by = default_review_by(timezone.localdate(now))
        changed.append("review_by")
    return changed


# --- uploads -------------------------------------------------------------------------------------


def _sniff_ok(extension: str, head: bytes) -> bool:
    """Whether the first bytes fit the declared type, for the types where that is cheap to tell.
    Office documents of 2007 and later and OpenDocument files are zip archives."""
    zip_magic = (b"PK\x03\x04", b"PK\x05\x06")
    ole_magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
    checks: dict[str, Any] = {
        ".pdf": lambda h: h.lstrip(b"\r\n\t \xef\xbb\xbf")[:5] == b"%PDF-",
        ".png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
        ".jpg": lambda h: h.startswith(b"\xff\xd8\xff"),
        ".jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
        ".gif": lambda h: h[:6] in (b"GIF87a", b"GIF89a"),
        ".zip": lambda h: h.startswith(zip_magic),
        ".docx": lambda h: h.startswith(zip_magic),
        ".pptx": lambda h: h.startswith(zip_magic),
        ".xlsx": lambda h: h.startswith(zip_magic),
        ".odt": lambda h: h.startswith(zip_magic),
        ".odp": lambda h: h.startswith(zip_magic),
        ".ods": lambda h: h.startswith(zip_magic),
        ".doc": lambda h: h.startswith(ole_magic),
        ".xls": lambda h: h.startswith(ole_magic),
        ".ppt": lambda h: h.startswith(ole_magic),
    }
    text_types = {".txt", ".csv", ".md"}
    if extension in text_types:
        # Text: no NUL bytes, and it decodes as UTF-8 (or is at least not a known binary format).
        if b"\x00" in head:
            return False
        binary_magic = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", ole_magic)
        return not head.startswith(binary_magic)
    check = checks.get(extension)
    return True if check is None else bool(check(head))


def upload_validate(file: Any) -> str:
    """Check an uploaded file against NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES and
    NETWEAVE_LIBRARY_UPLOAD_TYPES, and that its content matches its type where that is cheap to
    tell. Returns the content type to store and serve it with; raises `UploadRejected`."""
    name = PurePath(getattr(file, "name", "") or "").name
    extension = PurePath(name).suffix.lower()
    allowed: Mapping[str, str] = settings.NETWEAVE_LIBRARY_UPLOAD_TYPES
    if not name or extension not in allowed:
        raise UploadRejected(
            _("Files of this type cannot be uploaded. Allowed types: %(types)s.")
            % {"types": ", ".join(sorted(allowed))}
        )
    size = getattr(file, "size", None)
    limit = settings.NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES
    if size is None:
        raise UploadRejected(_("The file's size could not be read; try uploading it again."))
    if size > limit:
        raise UploadRejected(
            _("The file is %(size)s; files can be at most %(limit)s.")
            % {"size": _human_size(size), "limit": _human_size(limit)}
        )
    if size == 0:
        raise UploadRejected(_("The file is empty."))
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if isinstance(head, str):
        head = head.encode("utf-8")
    if not _sniff_ok(extension, head):
        raise UploadRejected(
            _(
                "The file's content does not match its name: “%(name)s” is not a %(ext)s file. "
                "Save it in the right format and upload it again."
            )
            % {"name": name, "ext": extension}
        )
    return allowed[extension]


def _human_size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000  # type: ignore[assignment]
    return str(size)  # pragma: no cover


def _store_file(resource: Resource, file: Any) -> None:
    """Validate `file` and store it through the default storage under the network's folder (the
    model's upload path). The previous file stays in storage: old revisions may point at it."""
    upload = file if isinstance(file, File) else File(file)
    content_type = upload_validate(upload)
    name = PurePath(getattr(upload, "name", "") or "file").name
    resource.file.save(name, upload, save=False)
    resource.file_type = content_type
    resource.file_size = int(upload.size)


# --- resources -----------------------------------------------------------------------------------


def resource_create(
    *,
    network: Network,
    by: Person | None,
    title: str,
    kind: str,
    url: str = "",
    file: Any = None,
    language: str = "",
    summary: str = "",
    topics: Iterable[Topic | int] = (),
    phases: Iterable[str] = (),
    author_people: Iterable[Person | int] = (),
    author_organizations: Iterable[Organization | int] = (),
    other_authors: str = "",
    visibility: str = Visibility.NETWORK,
    publication_date: date | None = None,
    translation_of: Resource | int | None = None,
    status: str | None = None,
    note: str = "",
    review_by: date | None = None,
    action: str | None = None,
    now: datetime | None = None,
) -> Resource:
    """Add a resource. Without `status` it is a submission waiting for a curator; any other
    status is for curators (the caller checks the capability; this records it). Publishing
    stamps `published_at` and a review-by date. Writes revision 1 (`action` overrides the
    revision's action, e.g. "imported")."""
    now = now or timezone.now()
    status = status or Resource.Status.SUBMITTED
    _check_choice(kind, Resource.Kind.values, _("kind of resource"))
    _check_choice(visibility, Visibility.values, _("visibility"))
    _check_choice(status, Resource.Status.values, _("status"))
    if action is not None:
        _check_choice(action, ResourceRevision.Action.values, _("revision action"))
    with transaction.atomic():
        resource = Resource(
            network=network,
            kind=kind,
            title=_clean_title(title),
            url=(url or "").strip(),
            language=(language or "").strip().lower(),
            summary=summary or "",
            phases=_clean_phases(network, phases),
            other_authors=(other_authors or "").strip()[:500],
            visibility=visibility,
            status=status,
            publication_date=publication_date,
            year=publication_date.year if publication_date else None,
            review_by=review_by,
            submitted_by=by,
            translation_of=_clean_translation_of(network, translation_of),
            created_at=now,
        )
        if status == Resource.Status.PUBLISHED:
            _on_publish(resource, now)
        if file:
            _store_file(resource, file)
        resource.save()
        resource.topics.set(_clean_topics(network, topics))
        resource.author_people.set(_clean_people(network, author_people))
        resource.author_organizations.set(_clean_organizations(author_organizations))
        _revision(
            resource,
            action=action or _status_action(status),
            by=by,
            changed=[],
            note=note,
            now=now,
        )
        _reindex(resource)
    return resource


def resource_update(
    *, resource: Resource, by: Person | None, note: str = "", **fields: Any
) -> Resource:
    """Change some fields of a resource (any of `EDITABLE_FIELDS`; `file=None` removes the file,
    a file stores a new one). Writes a revision naming the fields that changed, or nothing when
    nothing did. The status changes through `resource_set_status`, not here."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"resource_update() cannot change {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(resource)
        network = locked.network
        changed = _apply(locked, network, fields)
        if changed:
            _revision(
                locked, action=ResourceRevision.Action.EDITED, by=by, changed=changed, note=note
            )
            _reindex(locked)
    _refresh(resource, locked)
    return resource


def _apply(resource: Resource, network: Network, fields: Mapping[str, Any]) -> list[str]:
    """Set `fields` on the (locked) resource and save; the names of the fields that changed."""
    before = resource_snapshot(resource)
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            cleaned[name] = _clean_title(value)
        elif name == "kind":
            _check_choice(value, Resource.Kind.values, _("kind of resource"))
            cleaned[name] = value
        elif name == "visibility":
            _check_choice(value, Visibility.values, _("visibility"))
            cleaned[name] = value
        elif name in ("url", "other_authors"):
            cleaned[name] = (value or "").strip()
        elif name == "language":
            cleaned[name] = (value or "").strip().lower()
        elif name == "summary":
            cleaned[name] = value or ""
        elif name == "phases":
            cleaned[name] = _clean_phases(network, value or ())
        elif name in ("publication_date", "review_by"):
            cleaned[name] = value or None
        elif name == "translation_of":
            cleaned[name] = _clean_translation_of(network, value, resource)
        elif name == "topics":
            cleaned[name] = _clean_topics(network, value or ())
        elif name == "author_people":
            cleaned[name] = _clean_people(network, value or ())
        elif name == "author_organizations":
            cleaned[name] = _clean_organizations(value or ())
        elif name == "file":
            cleaned[name] = value
    update_fields: set[str] = set()
    for name in SCALAR_FIELDS:
        if name in cleaned and getattr(resource, name) != cleaned[name]:
            setattr(resource, name, cleaned[name])
            update_fields.add(name)
    if "publication_date" in update_fields:
        resource.year = resource.publication_date.year if resource.publication_date else None
        update_fields.add("year")
    if "translation_of" in cleaned:
        new = cleaned["translation_of"]
        if resource.translation_of_id != (new.pk if new else None):
            resource.translation_of = new
            update_fields.add("translation_of")
    if "file" in cleaned:
        value = cleaned["file"]
        if value:
            _store_file(resource, value)
            update_fields |= {"file", "file_type", "file_size"}
        elif resource.file:
            resource.file = ""  # type: ignore[assignment]
            resource.file_type = ""
            resource.file_size = None
            update_fields |= {"file", "file_type", "file_size"}
    if "url" in update_fields:
        resource.link_status = Resource.LinkStatus.UNCHECKED
        resource.link_checked_at = None
        resource.link_error = ""
        update_fields |= {"link_status", "link_checked_at", "link_error"}
    if update_fields:
        resource.save(update_fields=[*update_fields, "updated_at"])
    for name in M2M_FIELDS:
        if name in cleaned:
            getattr(resource, name).set(cleaned[name])
    after = resource_snapshot(resource)
    return [name for name in after if after[name] != before[name] and name not in ("status",)]


def _refresh(target: Resource, source: Resource) -> None:
    """Copy the saved values onto the caller's instance, so it does not hold stale fields."""
    for field in Resource._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for cache in ("_prefetched_objects_cache",):
        target.__dict__.pop(cache, None)
    target._state.fields_cache = {}  # type: ignore[attr-defined]


# Which status may follow which. Archiving a submission declines it; restoring publishes again.
TRANSITIONS: dict[str, frozenset[str]] = {
    Resource.Status.SUBMITTED: frozenset(
        {Resource.Status.IN_REVIEW, Resource.Status.PUBLISHED, Resource.Status.ARCHIVED}
    ),
    Resource.Status.IN_REVIEW: frozenset(
        {Resource.Status.SUBMITTED, Resource.Status.PUBLISHED, Resource.Status.ARCHIVED}
    ),
    Resource.Status.PUBLISHED: frozenset({Resource.Status.IN_REVIEW, Resource.Status.ARCHIVED}),
    Resource.Status.ARCHIVED: frozenset({Resource.Status.PUBLISHED}),
}


def allowed_statuses(resource: Resource) -> list[str]:
    """The statuses the resource may go to next, in the order of the life cycle."""
    following = TRANSITIONS.get(resource.status, frozenset())
    return [status for status in Resource.Status.values if status in following]


def resource_set_status(
    *,
    resource: Resource,
    by: Person | None,
    status: str,
    note: str = "",
    now: datetime | None = None,
) -> Resource:
    """Move a resource through curation (curators only: the caller checks). A change the life
    cycle does not allow raises `StatusChangeNotAllowed`."""
    _check_choice(status, Resource.Status.values, _("status"))
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(resource)
        current = locked.status
        if status == current:
            raise StatusChangeNotAllowed(
                _("This resource is already %(status)s.")
                % {"status": Resource.Status(status).label.lower()}
            )
        if status not in TRANSITIONS.get(current, frozenset()):
            raise StatusChangeNotAllowed(
                _("A resource that is %(current)s cannot become %(status)s.")
                % {
                    "current": Resource.Status(current).label.lower(),
                    "status": Resource.Status(status).label.lower(),
                }
            )
        locked.status = status
        changed = ["status"]
        update = ["status", "updated_at"]
        if status == Resource.Status.PUBLISHED:
            stamped = _on_publish(locked, now)
            update += stamped
            changed += [name for name in stamped if name == "review_by"]
        locked.save(update_fields=update)
        action = (
            ResourceRevision.Action.RESTORED
            if current == Resource.Status.ARCHIVED and status == Resource.Status.PUBLISHED
            else _status_action(status)
        )
        _revision(locked, action=action, by=by, changed=changed, note=note, now=now)
        _reindex(locked)
    _refresh(resource, locked)
    return resource


def resource_mark_reviewed(
    *, resource: Resource, by: Person | None, review_by: date | None = None, note: str = ""
) -> Resource:
    """A curator looked at the resource and it is still current: the next review-by date is
    NETWEAVE_LIBRARY_REVIEW_MONTHS from today (or `review_by`)."""
    review_by = review_by or default_review_by()
    with transaction.atomic():
        locked = _lock(resource)
        locked.review_by = review_by
        locked.save(update_fields=["review_by", "updated_at"])
        _revision(
            locked,
            action=ResourceRevision.Action.EDITED,
            by=by,
            changed=["review_by"],
            note=note or _("Reviewed: still current."),
        )
    _refresh(resource, locked)
    return resource


def resource_revert(
    *, resource: Resource, by: Person | None, revision: ResourceRevision, note: str = ""
) -> Resource:
    """Restore the fields a revision kept (not the status) as a new revision. Topics, authors
    and a translation that no longer exist are left out; a file no longer in storage is kept as
    it is now."""
    if revision.resource_id != resource.pk:
        raise LibraryError(_("That revision belongs to another resource."))
    data = revision.data or {}
    network = resource.network
    fields: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("publication_date", "review_by") and value:
            value = date.fromisoformat(value)
        fields[name] = value
    if "phases" in fields:
        known = set(network.phase_model or [])
        fields["phases"] = [phase for phase in fields["phases"] or [] if phase in known]
    if "topics" in data:
        fields["topics"] = list(
            Topic.objects.filter(network=network, pk__in=data["topics"]).values_list(
                "pk", flat=True
            )
        )
    if "author_people" in data:
        fields["author_people"] = list(
            Membership.objects.filter(
                network=network, person_id__in=data["author_people"]
            ).values_list("person_id", flat=True)
        )
    if "author_organizations" in data:
        fields["author_organizations"] = list(
            Organization.objects.filter(pk__in=data["author_organizations"]).values_list(
                "pk", flat=True
            )
        )
    if "translation_of" in data:
        original = data["translation_of"]
        exists = (
            original is not None
            and original != resource.pk
            and Resource.objects.filter(network=network, pk=original).exists()
        )
        fields["translation_of"] = original if exists else None
    note = note or _("Reverted to revision %(number)d.") % {"number": revision.number}
    with transaction.atomic():
        locked = _lock(resource)
        changed = _apply(locked, network, fields)
        old_file = data.get("file", "")
        current_file = locked.file.name if locked.file else ""
        restorable = not old_file or default_storage.exists(old_file)
        if old_file != current_file and _file_belongs(network, old_file) and restorable:
            locked.file = old_file  # type: ignore[assignment]
            locked.file_type = data.get("file_type", "") if old_file else ""
            locked.file_size = data.get("file_size") if old_file else None
            locked.save(update_fields=["file", "file_type", "file_size", "updated_at"])
            changed += ["file", "file_type", "file_size"]
        if not changed:
            raise LibraryError(_("The resource is already as it was in that revision."))
        _revision(locked, action=ResourceRevision.Action.EDITED, by=by, changed=changed, note=note)
        _reindex(locked)
    _refresh(resource, locked)
    return resource


def _file_belongs(network: Network, name: str) -> bool:
    """A stored file name is under the network's own folder (or empty: no file)."""
    return not name or name.startswith(f"library/{network.pk}/")


# --- the link checker ----------------------------------------------------------------------------


def _link_message(status: int) -> str:
    if status == 404:
        return _("The page was not found (404).")
    if status == 410:
        return _("The page is gone (410).")
    if status in (401, 403):
        return _("The site refused access (%(status)d).") % {"status": status}
    if status >= 500:
        return _("The site had an error (%(status)d).") % {"status": status}
    return _("The site answered %(status)d.") % {"status": status}


def link_check(url: str) -> tuple[bool, str]:
    """Whether `url` answers, and a plain message when it does not. HEAD first; sites that do
    not take HEAD (405, 403, 501) are asked again with GET."""
    from netweave.lib.safe_http import FetchError, safe_fetch

    try:
        result = safe_fetch(url, method="HEAD", max_bytes=LINK_BODY_BYTES, truncate=True)
        if result.status in (403, 405, 501):
            result = safe_fetch(url, method="GET", max_bytes=LINK_BODY_BYTES, truncate=True)
    except FetchError as error:
        reason = getattr(error, "reason", "") or str(error)
        return False, (_("The link could not be reached: %(reason)s") % {"reason": reason})[
            :LINK_ERROR_MAX
        ]
    if result.status >= 400:
        return False, _link_message(result.status)[:LINK_ERROR_MAX]
    return True, ""


def resource_check_link(*, resource_id: int, now: datetime | None = None) -> Resource | None:
    """Check one resource's link and record the answer (`link_status`, `link_checked_at`,
    `link_error`). A change between working and broken is kept in the revision history.
    Idempotent; a resource without a link, or gone, is left alone."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None or not resource.url:
        return resource
    url = resource.url
    ok, message = link_check(url)
    now = now or timezone.now()
    status = Resource.LinkStatus.OK if ok else Resource.LinkStatus.BROKEN
    with transaction.atomic():
        locked = Resource.objects.select_for_update().filter(pk=resource_id).first()
        if locked is None or locked.url != url:  # edited meanwhile: its new link waits its turn
            return locked
        was = locked.link_status
        locked.link_status = status
        locked.link_checked_at = now
        locked.link_error = message
        locked.save(update_fields=["link_status", "link_checked_at", "link_error"])
        flipped = (was == Resource.LinkStatus.BROKEN) != (status == Resource.LinkStatus.BROKEN)
        if flipped:
            # The snapshot is the resource's content; the history also shows what was found.
            _revision(
                locked,
                action=ResourceRevision.Action.LINK,
                by=None,
                changed=["link_status"],
                note=message or _("The link works again."),
                now=now,
                extra={"link_status": status},
            )
    return locked


def resources_due_for_link_check(
    *, now: datetime | None = None, network: Network | None = None
) -> list[int]:
    """Ids of resources with a link that was never checked or not for NETWEAVE_LINK_CHECK_DAYS
    (archived resources are not checked)."""
    from django.db.models import Q

    now = now or timezone.now()
    since = now - timedelta(days=settings.NETWEAVE_LINK_CHECK_DAYS)
    rows = (
        Resource.objects.exclude(url="")
        .exclude(status=Resource.Status.ARCHIVED)
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=since))
    )
    if network is not None:
        rows = rows.filter(network=network)
    return list(rows.order_by("link_checked_at", "pk").values_list("pk", flat=True))


# --- topics --------------------------------------------------------------------------------------


def _unique_topic_slug(network: Network, wanted: str, exclude: int | None = None) -> str:
    base = slugify(wanted)[:70] or "topic"
    rows = Topic.objects.filter(network=network, slug__startswith=base)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    taken = set(rows.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_parent(network: Network, topic: Topic | None, parent: Topic | None) -> None:
    if parent is None:
        return
    if parent.network_id != network.pk:
        raise TopicError(_("The parent topic is not a topic of this network."))
    if topic is None:
        return
    # Walk up from the new parent: reaching the topic itself would make a cycle.
    parents = dict(Topic.objects.filter(network=network).values_list("pk", "parent_id"))
    seen: set[int] = set()
    node: int | None = parent.pk
    while node is not None and node not in seen:
        if node == topic.pk:
            raise TopicError(
                _("“%(topic)s” cannot go under “%(parent)s”: that is inside it already.")
                % {"topic": topic.name, "parent": parent.name}
            )
        seen.add(node)
        node = parents.get(node)


def topic_create(
    *,
    network: Network,
    name: str,
    slug: str = "",
    parent: Topic | None = None,
    description: str = "",
    position: int = 0,
) -> Topic:
    name = (name or "").strip()
    if not name:
        raise TopicError(_("A topic needs a name."))
    _check_parent(network, None, parent)
    with transaction.atomic():
        if slug:
            slug = slugify(slug)[:80]
            if not slug:
                raise TopicError(_("The short name may only have letters, digits and hyphens."))
            if Topic.objects.filter(network=network, slug=slug).exists():
                raise TopicError(
                    _("Another topic already uses the short name “%(slug)s”.") % {"slug": slug}
                )
        else:
            slug = _unique_topic_slug(network, name)
        return Topic.objects.create(
            network=network,
            name=name[:120],
            slug=slug,
            parent=parent,
            description=description or "",
            position=max(0, int(position or 0)),
        )


def topic_update(
    *,
    topic: Topic,
    name: str | None = None,
    slug: str | None = None,
    description: str | None = None,
    position: int | None = None,
) -> Topic:
    fields = []
    if name is not None:
        name = name.strip()
        if not name:
            raise TopicError(_("A topic needs a name."))
        topic.name = name[:120]
        fields.append("name")
    if slug is not None:
        cleaned = slugify(slug)[:80]
        if not cleaned:
            raise TopicError(_("The short name may only have letters, digits and hyphens."))
        clash = (
            Topic.objects.filter(network_id=topic.network_id, slug=cleaned)
            .exclude(pk=topic.pk)
            .exists()
        )
        if clash:
            raise TopicError(
                _("Another topic already uses the short name “%(slug)s”.") % {"slug": cleaned}
            )
        topic.slug = cleaned
        fields.append("slug")
    if description is not None:
        topic.description = description
        fields.append("description")
    if position is not None:
        topic.position = max(0, int(position))
        fields.append("position")
    if fields:
        topic.save(update_fields=fields)
        if {"name"} & set(fields):
            _reindex_topic(topic)
    return topic


def _reindex_topic(topic: Topic) -> None:
    """A topic's name is part of its resources' search text."""
    for resource in Resource.objects.filter(topics=topic).iterator(chunk_size=500):
        _reindex(resource)


def topic_move(*, topic: Topic, parent: Topic | None, position: int | None = None) -> Topic:
    """Put `topic` under `parent` (None: at the top). Refused when `parent` is the topic itself
    or one of its descendants."""
    network = topic.network
    with transaction.atomic():
        _check_parent(network, topic, parent)
        topic.parent = parent
        fields = ["parent"]
        if position is not None:
            topic.position = max(0, int(position))
            fields.append("position")
        topic.save(update_fields=fields)
    return topic


def topic_delete(*, topic: Topic) -> None:
    """Delete an empty topic. A topic with resources or sub-topics is refused: move them first,
    so that nothing loses its place in the tree by accident."""
    with transaction.atomic():
        children = topic.children.count()
        resources = topic.resources.count()
        if children:
            raise TopicError(
                ngettext(
                    "“%(topic)s” has %(n)d sub-topic; move or delete it first.",
                    "“%(topic)s” has %(n)d sub-topics; move or delete them first.",
                    children,
                )
                % {"topic": topic.name, "n": children}
            )
        if resources:
            raise TopicError(
                ngettext(
                    "“%(topic)s” is the topic of %(n)d resource; give it another topic first.",
                    "“%(topic)s” is the topic of %(n)d resources; give them another topic first.",
                    resources,
                )
                % {"topic": topic.name, "n": resources}
            )
        topic.delete()
