"""API v1: the resource center. Searching and reading resources (anyone who may see the network:
anonymous callers get the public ones), submitting them (members), editing them (curators, and
the member who submitted one until it is published), moving them through curation, their
revision history, uploading their file, and the topic tree.

Mounted by netweave/api/api.py as `api.add_router("", library_router)`. Each endpoint resolves the
caller's access once (`network_access`), reads through netweave.library.selectors and search,
and writes through netweave.library.services. A rule of the resource center that the request
breaks (`LibraryError`) is a 409; a file that may not be stored (`UploadRejected`) is a 400."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePath
from typing import Any, Literal

from django.conf.locale import LANG_INFO
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import field_validator

from netweave.api.auth import network_access
from netweave.api.errors import responses
from netweave.api.pagination import MAX_PAGE_SIZE, PageIn
from netweave.api.schemas import BodyIn, OrganizationRef, PatchIn, PersonRef
from netweave.library import selectors
from netweave.library.models import Resource, ResourceRevision, Topic
from netweave.library.search import FACETS, SearchQuery, resources_search
from netweave.library.services import (
    resource_create,
    resource_set_status,
    resource_update,
    topic_create,
    topic_delete,
    topic_move,
    topic_update,
)
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Membership, Organization

router = Router(tags=["library"])

# Literal copies of the model choices keep the OpenAPI document explicit; a test checks them.
KindName = Literal[
    "article",
    "presentation",
    "report",
    "tool",
    "guidance",
    "story",
    "dataset",
    "event",
    "funding",
    "recording",
]
ResourceStatusName = Literal["submitted", "in_review", "published", "archived"]
ResourceVisibilityName = Literal["public", "network", "coordinators"]
LinkStatusName = Literal["unchecked", "ok", "broken"]
RevisionActionName = Literal[
    "submitted", "edited", "in_review", "published", "archived", "restored", "imported", "link"
]
SortName = Literal["relevance", "newest"]


def _denied(key: str) -> str:
    return {
        "submit": _("Only members of this network can submit resources."),
        "curate": _("Only curators (stewards and coordinators) can do this."),
        "edit": _(
            "Only curators can change this resource; whoever submitted it can change it until "
            "it is published."
        ),
        "status": _("Only curators (stewards and coordinators) publish, review or archive."),
    }[key]


# --- schemas -------------------------------------------------------------------------------------


class TopicRef(Schema):
    id: int
    slug: str
    name: str


class ResourceOut(Schema):
    id: int
    title: str
    kind: KindName
    url: str = Field(..., description="The link to the resource, or empty.")
    file_url: str | None = Field(
        ..., description="Where to download the uploaded file (same permissions), or null."
    )
    file_name: str
    file_type: str
    file_size: int | None
    language: str = Field(..., description="A language code such as `en`, or empty.")
    translation_of: int | None = Field(
        ..., description="The original this translates (translations point at the original)."
    )
    topics: list[TopicRef]
    phases: list[str] = Field(..., description="Life-cycle phases, from the network's phases.")
    author_people: list[PersonRef]
    author_organizations: list[OrganizationRef]
    other_authors: str
    summary: str = Field(..., description="Markdown (shown sanitized on the pages).")
    visibility: ResourceVisibilityName
    status: ResourceStatusName
    publication_date: date | None = Field(..., description="When the work itself came out.")
    year: int | None
    submitted_by: PersonRef | None = Field(
        ..., description="Only for viewers who may see the member directory; null otherwise."
    )
    review_by: date | None = Field(..., description="Curators only; null for everyone else.")
    link_status: LinkStatusName | None = Field(..., description="Curators only.")
    link_checked_at: datetime | None = Field(..., description="Curators only.")
    link_error: str | None = Field(..., description="Curators only.")
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    page: str = Field(..., description="The resource's page (HTML).")


class FacetValueOut(Schema):
    value: str = Field(..., description="What to pass back in the query to filter by it.")
    label: str
    count: int
    selected: bool


class ResourceHitOut(Schema):
    resource: ResourceOut
    snippet: str = Field(..., description="HTML: an excerpt with the matched words in <mark>.")


class ResourceSearchPage(Schema):
    items: list[ResourceHitOut]
    count: int = Field(..., description="Resources matching, on all pages together.")
    page: int
    pages: int
    page_size: int
    facets: dict[str, list[FacetValueOut]] = Field(
        ..., description="Counts per kind, topic, phase, language and year for this search."
    )


class ResourceFilters(Schema):
    q: str = Field("", max_length=200, description="Words to search for.")
    kind: list[KindName] = Field(default_factory=list, description="Repeat for several.")
    topic: list[str] = Field(
        default_factory=list, description="Topic slugs; a topic includes its sub-topics."
    )
    phase: list[str] = Field(default_factory=list)
    language: list[str] = Field(default_factory=list)
    year: list[int] = Field(default_factory=list)
    sort: SortName = "relevance"
    status: list[ResourceStatusName] = Field(
        default_factory=list,
        description="Curators only: search these statuses instead of the published resources.",
    )


def _clean_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return value.strip() if value is not None else None
    value = value.strip()
    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError:
        raise ValueError(
            _("“%(url)s” is not a web address; start it with https://") % {"url": value}
        ) from None
    return value


def clean_language(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    if value and value not in LANG_INFO:
        raise ValueError(
            _("Unknown language code “%(code)s”; use an ISO code such as en, fr, es, pt.")
            % {"code": value}
        )
    return value


class ResourceIn(BodyIn):
    title: str = Field(..., min_length=1, max_length=300)
    kind: KindName
    url: str = Field(
        "",
        max_length=1000,
        description="The link. Without one, upload a file afterwards (resources_upload).",
    )
    language: str = Field("", description="A language code such as `en`.")
    summary: str = Field("", max_length=20_000, description="Markdown.")
    topics: list[str] = Field(default_factory=list, description="Topic slugs of this network.")
    phases: list[str] = Field(default_factory=list, description="The network's phase names.")
    author_people: list[int] = Field(
        default_factory=list, description="Ids of members of this network."
    )
    author_organizations: list[int] = Field(default_factory=list, description="Organization ids.")
    other_authors: str = Field("", max_length=500)
    visibility: ResourceVisibilityName = "network"
    publication_date: date | None = None
    translation_of: int | None = Field(None, description="The id of the original resource.")
    status: ResourceStatusName | None = Field(
        None,
        description="Curators only (e.g. `published` to publish at once); members' resources "
        "are always `submitted`.",
    )
    review_by: date | None = Field(None, description="Curators only.")
    note: str = Field("", max_length=2000, description="Kept in the revision history.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _clean_url(value) or ""

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return clean_language(value) or ""

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("A resource needs a title."))
        return value.strip()


class ResourcePatchIn(PatchIn):
    """Every field optional; only the fields sent change (a new revision names them)."""

    nullable = frozenset({"publication_date", "translation_of", "review_by"})

    title: str | None = Field(None, min_length=1, max_length=300)
    kind: KindName | None = None
    url: str | None = Field(None, max_length=1000, description="Empty to remove the link.")
    language: str | None = None
    summary: str | None = Field(None, max_length=20_000)
    topics: list[str] | None = Field(None, description="Topic slugs; replaces the list.")
    phases: list[str] | None = None
    author_people: list[int] | None = None
    author_organizations: list[int] | None = None
    other_authors: str | None = Field(None, max_length=500)
    visibility: ResourceVisibilityName | None = None
    publication_date: date | None = None
    translation_of: int | None = None
    review_by: date | None = Field(None, description="Curators only.")
    note: str = Field("", max_length=2000, description="Kept in the revision history.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _clean_url(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return clean_language(value)


class ResourceStatusIn(BodyIn):
    status: ResourceStatusName = Field(
        ...,
        description="submitted → in_review → published → archived → published (restore); "
        "other moves the life cycle does not allow are a 409.",
    )
    note: str = Field("", max_length=2000, description="Kept in the revision history.")


class RevisionOut(Schema):
    number: int
    action: RevisionActionName
    editor: PersonRef | None
    changed: list[str] = Field(..., description="Names of the fields that changed.")
    note: str
    created_at: datetime
    data: dict[str, Any] = Field(..., description="The resource's fields after the change.")


class RevisionPage(Schema):
    items: list[RevisionOut]
    count: int
    page: int
    pages: int
    page_size: int


class TopicOut(Schema):
    id: int
    slug: str
    name: str
    parent_id: int | None
    description: str = Field(..., description="Markdown.")
    position: int
    depth: int = Field(..., description="0 for a top-level topic.")
    resource_count: int = Field(
        ..., description="Published resources the caller may see in it and its sub-topics."
    )
    page: str


class TopicIn(BodyIn):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field("", max_length=80, description="Made from the name when empty.")
    parent_id: int | None = Field(None, description="The parent topic; null for the top level.")
    description: str = Field("", max_length=10_000)
    position: int = Field(0, ge=0, le=100_000)


class TopicPatchIn(PatchIn):
    nullable = frozenset({"parent_id"})

    name: str | None = Field(None, min_length=1, max_length=120)
    slug: str | None = Field(None, min_length=1, max_length=80)
    parent_id: int | None = Field(None, description="null moves the topic to the top level.")
    description: str | None = Field(None, max_length=10_000)
    position: int | None = Field(None, ge=0, le=100_000)


# --- helpers -------------------------------------------------------------------------------------


def resource_out(access: Access, resource: Resource) -> dict[str, Any]:
    curator = access.can(Capability.CURATE)
    slug = access.network.slug
    submitter = resource.submitted_by if access.can(Capability.VIEW_DIRECTORY) else None
    return {
        "id": resource.pk,
        "title": resource.title,
        "kind": resource.kind,
        "url": resource.url,
        "file_url": reverse("library:resource_file", args=[slug, resource.pk])
        if resource.file
        else None,
        "file_name": PurePath(resource.file.name).name if resource.file else "",
        "file_type": resource.file_type,
        "file_size": resource.file_size,
        "language": resource.language,
        "translation_of": resource.translation_of_id,
        "topics": [{"id": t.pk, "slug": t.slug, "name": t.name} for t in resource.topics.all()],
        "phases": list(resource.phases or []),
        "author_people": [{"id": p.pk, "name": p.name} for p in resource.author_people.all()],
        "author_organizations": [
            {"id": o.pk, "name": o.name} for o in resource.author_organizations.all()
        ],
        "other_authors": resource.other_authors,
        "summary": resource.summary,
        "visibility": resource.visibility,
        "status": resource.status,
        "publication_date": resource.publication_date,
        "year": resource.year,
        "submitted_by": {"id": submitter.pk, "name": submitter.name} if submitter else None,
        "review_by": resource.review_by if curator else None,
        "link_status": resource.link_status if curator else None,
        "link_checked_at": resource.link_checked_at if curator else None,
        "link_error": resource.link_error if curator else None,
        "created_at": resource.created_at,
        "updated_at": resource.updated_at,
        "published_at": resource.published_at,
        "page": reverse("library:resource", args=[slug, resource.pk]),
    }


def _fresh(access: Access, resource_id: int) -> dict[str, Any]:
    return resource_out(
        access, selectors.resource_for_viewer(access=access, resource_id=resource_id)
    )


def topics_by_slug(access: Access, slugs: list[str], field: str) -> list[Topic]:
    """The network's topics named by `slugs`, in their order and once each; a 400 naming the
    `field` and the slugs that name no topic."""
    found = {t.slug: t for t in Topic.objects.filter(network=access.network, slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise HttpError(
            400,
            _("%(field)s: no topic %(slugs)s in this network; see GET /networks/{slug}/topics.")
            % {"field": field, "slugs": ", ".join(unknown)},
        )
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _people(access: Access, ids: list[int]) -> list[int]:
    known = set(
        Membership.objects.filter(network=access.network, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    unknown = [str(pk) for pk in ids if pk not in known]
    if unknown:
        raise HttpError(
            400,
            _("author_people: %(ids)s are not members of this network.")
            % {"ids": ", ".join(unknown)},
        )
    return list(dict.fromkeys(ids))


def _organizations(ids: list[int]) -> list[int]:
    known = set(Organization.objects.filter(pk__in=ids).values_list("pk", flat=True))
    unknown = [str(pk) for pk in ids if pk not in known]
    if unknown:
        raise HttpError(
            400,
            _("author_organizations: there is no organization %(ids)s.")
            % {"ids": ", ".join(unknown)},
        )
    return list(dict.fromkeys(ids))


def _phases(access: Access, phases: list[str]) -> list[str]:
    known = list(access.network.phase_model or [])
    unknown = [phase for phase in phases if phase not in known]
    if unknown:
        raise HttpError(
            400,
            _("phases: unknown phases %(phases)s; this network's phases are %(known)s.")
            % {"phases": ", ".join(unknown), "known": ", ".join(known)},
        )
    return phases


def _original(access: Access, resource_id: int | None) -> Resource | None:
    if resource_id is None:
        return None
    original = Resource.objects.filter(network=access.network, pk=resource_id).first()
    if original is None:
        raise HttpError(
            400,
            _("translation_of: there is no resource %(id)d in this network.") % {"id": resource_id},
        )
    return original


# --- resources -----------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/resources",
    response=responses({200: ResourceSearchPage}, 400, 401, 403, 404),
    operation_id="resources_list",
    summary="Search the resource library",
    description="Anyone who may see the network: anonymous callers get the public published "
    "resources; observers and members the network ones too; curators also the coordinators' "
    "ones, and with `status` the unpublished ones. Repeat a facet parameter to pick several "
    "values (`?kind=report&kind=tool`). Facet counts come back with the page.",
)
def resources_list(
    request: HttpRequest, slug: str, filters: Query[ResourceFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    statuses = None
    if filters.status:
        if not access.can(Capability.CURATE):
            raise PermissionDenied(_denied("curate"))
        statuses = list(filters.status)
    query = SearchQuery(
        text=filters.q.strip(),
        kinds=list(filters.kind),
        topics=list(filters.topic),
        phases=list(filters.phase),
        languages=[code.strip().lower() for code in filters.language],
        years=list(filters.year),
        sort=filters.sort,
    )
    results = resources_search(
        access=access,
        query=query,
        page=paging.page,
        per_page=min(paging.page_size, MAX_PAGE_SIZE),
        statuses=statuses,
    )
    # The search brings topics and authors; the submitters in one more query, not one a hit.
    prefetch_related_objects([hit.resource for hit in results.hits], "submitted_by")
    return {
        "items": [
            {"resource": resource_out(access, hit.resource), "snippet": str(hit.snippet)}
            for hit in results.hits
        ],
        "count": results.total,
        "page": results.page,
        "pages": results.num_pages,
        "page_size": results.per_page,
        "facets": {
            name: [
                {
                    "value": value.value,
                    "label": value.label,
                    "count": value.count,
                    "selected": value.selected,
                }
                for value in results.facets.get(name, [])
            ]
            for name in FACETS
        },
    }


@router.post(
    "/networks/{slug}/resources",
    response=responses({201: ResourceOut}, 400, 401, 403, 404, 409),
    operation_id="resources_create",
    summary="Submit (or, for curators, add) a resource",
    description="Members, stewards and coordinators. A member's resource is `submitted` and "
    "waits for a curator; curators may give `status` (e.g. `published`). Send a `url`, or "
    "upload the file afterwards with resources_upload.",
)
def resources_create(request: HttpRequest, slug: str, payload: ResourceIn) -> Status[Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("submit"))
    curator = access.can(Capability.CURATE)
    if (payload.status not in (None, "submitted") or payload.review_by) and not curator:
        raise PermissionDenied(_denied("status"))
    created = resource_create(
        network=access.network,
        by=access.person,
        title=payload.title,
        kind=payload.kind,
        url=payload.url,
        language=payload.language,
        summary=payload.summary,
        topics=topics_by_slug(access, payload.topics, "topics"),
        phases=_phases(access, payload.phases),
        author_people=_people(access, payload.author_people),
        author_organizations=_organizations(payload.author_organizations),
        other_authors=payload.other_authors,
        visibility=payload.visibility,
        publication_date=payload.publication_date,
        translation_of=_original(access, payload.translation_of),
        status=payload.status,
        review_by=payload.review_by,
        note=payload.note,
    )
    return Status(201, _fresh(access, created.pk))


@router.get(
    "/networks/{slug}/resources/{resource_id}",
    response=responses({200: ResourceOut}, 401, 403, 404),
    operation_id="resources_read",
    summary="Read one resource",
    description="Whoever may see it: published resources by their visibility; curators any; "
    "the member who submitted one while it is not published. 404 for everyone else.",
)
def resources_read(request: HttpRequest, slug: str, resource_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    return _fresh(access, resource_id)


def _editable(access: Access, resource_id: int) -> Resource:
    resource = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    if not selectors.can_edit_resource(access, resource):
        raise PermissionDenied(_denied("edit"))
    return resource


@router.patch(
    "/networks/{slug}/resources/{resource_id}",
    response=responses({200: ResourceOut}, 400, 401, 403, 404, 409),
    operation_id="resources_update",
    summary="Change a resource",
    description="Curators; the member who submitted it while it is not published. Only the "
    "fields sent change; a revision records which. `review_by` is for curators.",
)
def resources_update(
    request: HttpRequest, slug: str, resource_id: int, payload: ResourcePatchIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("edit"))
    resource = _editable(access, resource_id)
    sent = payload.model_fields_set - {"note"}
    if "review_by" in sent and not access.can(Capability.CURATE):
        raise PermissionDenied(_denied("curate"))
    fields: dict[str, Any] = {name: getattr(payload, name) for name in sent}
    if "topics" in fields:
        fields["topics"] = topics_by_slug(access, fields["topics"], "topics")
    if "phases" in fields:
        fields["phases"] = _phases(access, fields["phases"])
    if "author_people" in fields:
        fields["author_people"] = _people(access, fields["author_people"])
    if "author_organizations" in fields:
        fields["author_organizations"] = _organizations(fields["author_organizations"])
    if "translation_of" in fields:
        fields["translation_of"] = _original(access, fields["translation_of"])
    resource_update(resource=resource, by=access.person, note=payload.note, **fields)
    return _fresh(access, resource.pk)


@router.post(
    "/networks/{slug}/resources/{resource_id}/status",
    response=responses({200: ResourceOut}, 400, 401, 403, 404, 409),
    operation_id="resources_set_status",
    summary="Take into review, publish, archive or restore a resource",
    description="Curators (stewards and coordinators). Publishing stamps the publication time "
    "and a review-by date. A move the life cycle does not allow is a 409.",
)
def resources_set_status(
    request: HttpRequest, slug: str, resource_id: int, payload: ResourceStatusIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("status"))
    resource = selectors.resource_for_viewer(access=access, resource_id=resource_id)
    resource_set_status(
        resource=resource, by=access.person, status=payload.status, note=payload.note
    )
    return _fresh(access, resource.pk)


@router.get(
    "/networks/{slug}/resources/{resource_id}/revisions",
    response=responses({200: RevisionPage}, 400, 401, 403, 404),
    operation_id="resources_revisions",
    summary="The revision history of a resource",
    description="Curators; the member who submitted it while it is not published. Newest "
    "first; each revision names the fields that changed and holds the resource as it was "
    "after the change.",
)
def resources_revisions(
    request: HttpRequest, slug: str, resource_id: int, paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("edit"))
    resource = _editable(access, resource_id)
    from netweave.api.pagination import paginate

    def out(revision: ResourceRevision) -> dict[str, Any]:
        revision = selectors.revision_for_viewer(access, revision)
        editor = revision.editor
        return {
            "number": revision.number,
            "action": revision.action,
            "editor": {"id": editor.pk, "name": editor.name} if editor else None,
            "changed": list(revision.changed or []),
            "note": revision.note,
            "created_at": revision.created_at,
            "data": dict(revision.data or {}),
        }

    return paginate(selectors.revisions_for(resource=resource), paging, out)


@router.post(
    "/networks/{slug}/resources/{resource_id}/file",
    response=responses({200: ResourceOut}, 400, 401, 403, 404, 409),
    operation_id="resources_upload",
    summary="Upload (or replace) the file of a resource",
    description="Multipart form with one part named `file`. Curators; the member who submitted "
    "it while it is not published. The size and the types allowed are set by the "
    "installation (NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES, NETWEAVE_LIBRARY_UPLOAD_TYPES); a file "
    "whose content does not match its name is refused (400).",
)
def resources_upload(
    request: HttpRequest,
    slug: str,
    resource_id: int,
    file: UploadedFile | None = File(None),  # noqa: B008
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_OWN_EGO, _denied("edit"))
    resource = _editable(access, resource_id)
    if file is None:
        raise HttpError(400, _("file: send the file as a multipart form part named “file”."))
    resource_update(resource=resource, by=access.person, file=file)
    return _fresh(access, resource.pk)


# --- topics --------------------------------------------------------------------------------------


def _topic_out(access: Access, topic: Topic, depth: int, count: int) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "slug": topic.slug,
        "name": topic.name,
        "parent_id": topic.parent_id,
        "description": topic.description,
        "position": topic.position,
        "depth": depth,
        "resource_count": count,
        "page": reverse("library:topic", args=[access.network.slug, topic.slug]),
    }


def _topic_fresh(access: Access, topic_id: int) -> dict[str, Any]:
    for node in selectors.topic_tree(access=access):
        if node.topic.pk == topic_id:
            return _topic_out(access, node.topic, node.depth, node.count)
    raise Http404  # pragma: no cover - the topic was just written


def _topic(access: Access, topic_id: int) -> Topic:
    topic = Topic.objects.filter(network=access.network, pk=topic_id).first()
    if topic is None:
        raise Http404
    return topic


def _parent(access: Access, parent_id: int | None) -> Topic | None:
    if parent_id is None:
        return None
    parent = Topic.objects.filter(network=access.network, pk=parent_id).first()
    if parent is None:
        raise HttpError(
            400, _("parent_id: there is no topic %(id)d in this network.") % {"id": parent_id}
        )
    return parent


@router.get(
    "/networks/{slug}/topics",
    response=responses({200: list[TopicOut]}, 401, 403, 404),
    operation_id="topics_list",
    summary="The topic tree",
    description="Anyone who may see the network. Every topic in reading order (depth first), "
    "with its depth and the number of resources the caller may see in it.",
)
def topics_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    return [
        _topic_out(access, node.topic, node.depth, node.count)
        for node in selectors.topic_tree(access=access)
    ]


@router.post(
    "/networks/{slug}/topics",
    response=responses({201: TopicOut}, 400, 401, 403, 404, 409),
    operation_id="topics_create",
    summary="Add a topic",
    description="Curators. A short name already in use is a 409.",
)
def topics_create(request: HttpRequest, slug: str, payload: TopicIn) -> Status[Any]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    topic = topic_create(
        network=access.network,
        name=payload.name,
        slug=payload.slug,
        parent=_parent(access, payload.parent_id),
        description=payload.description,
        position=payload.position,
    )
    return Status(201, _topic_fresh(access, topic.pk))


@router.patch(
    "/networks/{slug}/topics/{topic_id}",
    response=responses({200: TopicOut}, 400, 401, 403, 404, 409),
    operation_id="topics_update",
    summary="Rename, describe or move a topic",
    description="Curators. `parent_id` moves the topic (null: to the top level); moving a topic "
    "inside itself or one of its sub-topics is a 409.",
)
def topics_update(
    request: HttpRequest, slug: str, topic_id: int, payload: TopicPatchIn
) -> dict[str, Any]:
    from django.db import transaction

    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    topic = _topic(access, topic_id)
    sent = payload.model_fields_set
    with transaction.atomic():
        topic_update(
            topic=topic,
            name=payload.name,
            slug=payload.slug,
            description=payload.description,
            position=payload.position,
        )
        if "parent_id" in sent:
            topic_move(topic=topic, parent=_parent(access, payload.parent_id))
    return _topic_fresh(access, topic.pk)


@router.delete(
    "/networks/{slug}/topics/{topic_id}",
    response=responses({204: None}, 401, 403, 404, 409),
    operation_id="topics_delete",
    summary="Delete an empty topic",
    description="Curators. A topic that still has resources or sub-topics is a 409: move them "
    "first.",
)
def topics_delete(request: HttpRequest, slug: str, topic_id: int) -> Status[None]:
    access = network_access(request, slug, Capability.CURATE, _denied("curate"))
    topic = _topic(access, topic_id)
    topic_delete(topic=topic)
    return Status(204, None)
