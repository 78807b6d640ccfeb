"""API v1: the feeds a network follows and the inbox of what they bring. Curators only (stewards
and coordinators).

Mounted by netweave/api/api.py as `api.add_router("", feeds_router)`. Each endpoint resolves the
caller's access once (`network_access`), reads through netweave.library.feed_selectors and
writes through netweave.library.ingest. A rule of feed ingestion that the request breaks
(`FeedError`: a feed already followed, an item already decided) is a 409, and so is a rule of
the resource center when an item is accepted (both mapped in netweave/api/errors.py); an
address that is not valid is a 400."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import field_validator

from netweave.api.auth import network_access
from netweave.api.errors import responses
from netweave.api.pagination import Page, PageIn, paginate
from netweave.api.schemas import BodyIn, PatchIn
from netweave.library import feed_selectors as selectors
from netweave.library.api import KindName, ResourceVisibilityName, clean_language, topics_by_slug
from netweave.library.ingest import (
    INTERVAL_MAX,
    INTERVAL_MIN,
    FeedError,
    feed_add,
    feed_fetch_request,
    feed_remove,
    feed_update,
    feed_url_clean,
    item_accept,
    items_dismiss,
)
from netweave.library.models import Feed, FeedItem
from netweave.networks.permissions import Access, Capability

router = Router(tags=["feeds"])

# Literal copies of the model choices keep the OpenAPI document explicit; a test checks them.
# The resource center's own (kinds, visibilities) come from its API module.
FetchStatusName = Literal["never", "ok", "not_modified", "error", "refused"]
ItemStatusName = Literal["new", "accepted", "dismissed"]


def _denied() -> str:
    return _("Only curators (stewards and coordinators) manage feeds and their inbox.")


def _access(request: HttpRequest, slug: str) -> Access:
    return network_access(request, slug, Capability.CURATE, _denied())


# --- schemas -------------------------------------------------------------------------------------


class FeedOut(Schema):
    id: int
    url: str = Field(..., description="The feed's address (RSS or Atom).")
    title: str = Field(..., description="Its name: the curators' or, if none, the feed's own.")
    site_url: str = Field(..., description="The website the feed belongs to, or empty.")
    active: bool = Field(..., description="Fetched on schedule; false while paused.")
    interval_minutes: int
    default_kind: KindName = Field(..., description="The kind its accepted items get.")
    default_topics: list[str] = Field(..., description="Slugs of the topics its items get.")
    last_status: FetchStatusName
    last_error: str = Field(
        ...,
        description="Why the last fetch failed, in plain words; for a fetch that worked, a "
        "warning about a flawed feed, or empty.",
    )
    failures: int = Field(..., description="Failed fetches in a row (retried less often).")
    last_fetched_at: datetime | None
    next_fetch_at: datetime | None = Field(
        ..., description="When it is fetched next; null while paused."
    )
    items_waiting: int = Field(..., description="New items waiting in the inbox.")
    items_accepted: int
    items_dismissed: int
    created_at: datetime


class FeedPage(Page[FeedOut]):
    pass


class FeedIn(BodyIn):
    url: str = Field(..., max_length=1000, description="The feed's address, http(s).")
    title: str = Field("", max_length=300, description="Leave empty to use the feed's own.")
    active: bool = True
    interval_minutes: int = Field(
        360, ge=INTERVAL_MIN, le=INTERVAL_MAX, description="Minutes between fetches."
    )
    default_kind: KindName = "article"
    default_topics: list[str] = Field([], description="Slugs of topics of this network.")


class FeedPatchIn(PatchIn):
    url: str | None = Field(None, max_length=1000)
    title: str | None = Field(None, max_length=300)
    active: bool | None = None
    interval_minutes: int | None = Field(None, ge=INTERVAL_MIN, le=INTERVAL_MAX)
    default_kind: KindName | None = None
    default_topics: list[str] | None = None


class FeedItemOut(Schema):
    id: int
    feed_id: int
    feed_title: str
    guid: str = Field(..., description="The entry's id in its feed.")
    link: str = Field(..., description="The entry's web address, or empty.")
    title: str
    summary: str = Field(..., description="Plain text.")
    author: str
    language: str
    published_at: datetime | None
    fetched_at: datetime
    status: ItemStatusName
    resource_id: int | None = Field(..., description="The resource it became, once accepted.")
    decided_at: datetime | None


class FeedItemPage(Page[FeedItemOut]):
    pass


class FeedItemFilters(Schema):
    feed_id: int | None = Field(None, description="Only this feed's items.")
    status: ItemStatusName = Field("new", description="`new` (the default) waits for a curator.")


class FeedItemAcceptIn(BodyIn):
    publish: bool = Field(
        False, description="true: publish at once; false (the default): a resource in review."
    )
    title: str | None = Field(None, max_length=300, description="Instead of the entry's title.")
    kind: KindName | None = Field(None, description="Instead of the feed's default kind.")
    summary: str | None = Field(None, max_length=20000, description="Markdown.")
    language: str | None = Field(None, max_length=12)
    topics: list[str] | None = Field(None, description="Topic slugs, instead of the feed's.")
    visibility: ResourceVisibilityName | None = None
    publication_date: date | None = None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return clean_language(value)


class AcceptedOut(Schema):
    item: FeedItemOut
    resource_id: int
    resource_status: str
    edit_url: str = Field(..., description="The resource's edit page.")


class FeedItemsDismissIn(BodyIn):
    ids: list[int] = Field(..., max_length=1000, description="Items to dismiss (new ones only).")


class DismissedOut(Schema):
    dismissed: int = Field(..., description="How many of the items were new and are dismissed.")


# --- helpers -------------------------------------------------------------------------------------


def feed_out(feed: Feed) -> dict[str, Any]:
    return {
        "id": feed.pk,
        "url": feed.url,
        "title": str(feed.title or feed.url),
        "site_url": feed.site_url,
        "active": feed.active,
        "interval_minutes": feed.interval_minutes,
        "default_kind": feed.default_kind,
        "default_topics": [topic.slug for topic in feed.default_topics.all()],
        "last_status": feed.last_status,
        "last_error": feed.last_error,
        "failures": feed.failures,
        "last_fetched_at": feed.last_fetched_at,
        "next_fetch_at": feed.next_fetch_at,
        "items_waiting": getattr(feed, "waiting", 0),
        "items_accepted": getattr(feed, "accepted", 0),
        "items_dismissed": getattr(feed, "dismissed", 0),
        "created_at": feed.created_at,
    }


def item_out(item: FeedItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "feed_id": item.feed_id,
        "feed_title": str(item.feed),
        "guid": item.guid,
        "link": item.link,
        "title": item.title,
        "summary": item.summary,
        "author": item.author,
        "language": item.language,
        "published_at": item.published_at,
        "fetched_at": item.fetched_at,
        "status": item.status,
        "resource_id": item.resource_id,
        "decided_at": item.decided_at,
    }


def _url(value: str) -> str:
    try:
        return feed_url_clean(value)
    except FeedError as error:
        raise HttpError(400, f"url: {error}") from None


def _fresh(access: Access, feed_id: int) -> dict[str, Any]:
    return feed_out(selectors.feed_for_curator(access=access, feed_id=feed_id))


# --- feeds ---------------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/feeds",
    response=responses({200: FeedPage}, 400, 401, 403, 404),
    operation_id="feeds_list",
    summary="List the feeds the network follows",
    description="Curators. Each with its fetch status, its last error in plain words, when it "
    "is fetched next and how many of its items wait in the inbox; by title.",
)
def feeds_list(request: HttpRequest, slug: str, paging: Query[PageIn]) -> dict[str, Any]:
    access = _access(request, slug)
    return paginate(selectors.feeds_for_curation(access=access), paging, feed_out)


@router.post(
    "/networks/{slug}/feeds",
    response=responses({201: FeedOut}, 400, 401, 403, 404, 409),
    operation_id="feeds_create",
    summary="Follow a feed",
    description="Curators. The feed is fetched at once in the background, then every "
    "`interval_minutes`; its new items wait in the inbox. 409 when the network already "
    "follows this address.",
)
def feeds_create(request: HttpRequest, slug: str, payload: FeedIn) -> Status[Any]:
    access = _access(request, slug)
    url = _url(payload.url)
    topics = topics_by_slug(access, payload.default_topics, "default_topics")
    feed = feed_add(
        network=access.network,
        url=url,
        by=access.person,
        title=payload.title,
        default_kind=payload.default_kind,
        default_topics=topics,
        interval_minutes=payload.interval_minutes,
        active=payload.active,
    )
    return Status(201, _fresh(access, feed.pk))


@router.get(
    "/networks/{slug}/feeds/{int:feed_id}",
    response=responses({200: FeedOut}, 401, 403, 404),
    operation_id="feeds_read",
    summary="Read a feed and its fetch status",
    description="Curators.",
)
def feeds_read(request: HttpRequest, slug: str, feed_id: int) -> dict[str, Any]:
    access = _access(request, slug)
    return _fresh(access, feed_id)


@router.patch(
    "/networks/{slug}/feeds/{int:feed_id}",
    response=responses({200: FeedOut}, 400, 401, 403, 404, 409),
    operation_id="feeds_update",
    summary="Change a feed",
    description="Curators. Only the fields sent change. A new `url` starts afresh and is "
    "fetched at once; `active: false` pauses the schedule.",
)
def feeds_update(
    request: HttpRequest, slug: str, feed_id: int, payload: FeedPatchIn
) -> dict[str, Any]:
    access = _access(request, slug)
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    fields: dict[str, Any] = {name: getattr(payload, name) for name in payload.model_fields_set}
    if "url" in fields:
        fields["url"] = _url(fields["url"])
    if "default_topics" in fields:
        fields["default_topics"] = topics_by_slug(
            access, fields["default_topics"], "default_topics"
        )
    feed_update(feed=feed, by=access.person, **fields)
    return _fresh(access, feed.pk)


@router.delete(
    "/networks/{slug}/feeds/{int:feed_id}",
    response=responses({204: None}, 401, 403, 404),
    operation_id="feeds_delete",
    summary="Stop following a feed",
    description="Curators. Its inbox items go with it; resources accepted from it stay.",
)
def feeds_delete(request: HttpRequest, slug: str, feed_id: int) -> Status[None]:
    access = _access(request, slug)
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    feed_remove(feed=feed, by=access.person)
    return Status(204, None)


@router.post(
    "/networks/{slug}/feeds/{int:feed_id}/fetch",
    response=responses({202: FeedOut}, 401, 403, 404),
    operation_id="feeds_fetch",
    summary="Fetch a feed now",
    description="Curators. The fetch runs in the background (also for a paused feed, once); "
    "poll GET /networks/{slug}/feeds/{feed_id} until `last_fetched_at` changes.",
)
def feeds_fetch(request: HttpRequest, slug: str, feed_id: int) -> Status[Any]:
    access = _access(request, slug)
    feed = selectors.feed_for_curator(access=access, feed_id=feed_id)
    feed_fetch_request(feed=feed, by=access.person)
    return Status(202, _fresh(access, feed.pk))


# --- the inbox -----------------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/feeds/items",
    response=responses({200: FeedItemPage}, 400, 401, 403, 404),
    operation_id="feed_items_list",
    summary="The inbox: items the feeds brought",
    description="Curators. Newest first (by publication date, else when fetched); `status` "
    "`new` by default, the items that wait for a decision.",
)
def feed_items_list(
    request: HttpRequest, slug: str, filters: Query[FeedItemFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = _access(request, slug)
    items = selectors.inbox_items(access=access, feed_id=filters.feed_id, status=filters.status)
    return paginate(items, paging, item_out)


@router.post(
    "/networks/{slug}/feeds/items/{int:feed_item_id}/accept",
    response=responses({201: AcceptedOut}, 400, 401, 403, 404, 409),
    operation_id="feed_items_accept",
    summary="Accept an inbox item: make it a resource",
    description="Curators. The resource gets the entry's title, link, summary, author and "
    "date, and the feed's kind and topics, unless the body says otherwise; it is in review, "
    "or published with `publish: true`. 409 when the item was already decided or its link is "
    "already a resource.",
)
def feed_items_accept(
    request: HttpRequest, slug: str, feed_item_id: int, payload: FeedItemAcceptIn
) -> Status[Any]:

    access = _access(request, slug)
    item = selectors.item_for_curator(access=access, item_id=feed_item_id)
    overrides: dict[str, Any] = {
        name: getattr(payload, name)
        for name in payload.model_fields_set - {"publish"}
        if getattr(payload, name) is not None
    }
    if "topics" in overrides:
        overrides["topics"] = topics_by_slug(access, overrides["topics"], "topics")
    resource = item_accept(item=item, by=access.person, publish=payload.publish, **overrides)
    item = selectors.item_for_curator(access=access, item_id=feed_item_id)
    return Status(
        201,
        {
            "item": item_out(item),
            "resource_id": resource.pk,
            "resource_status": resource.status,
            "edit_url": reverse(
                "library:resource_edit",
                kwargs={"network_slug": access.network.slug, "resource_id": resource.pk},
            ),
        },
    )


@router.post(
    "/networks/{slug}/feeds/items/dismiss",
    response=responses({200: DismissedOut}, 400, 401, 403, 404),
    operation_id="feed_items_dismiss",
    summary="Dismiss inbox items",
    description="Curators. The new items among `ids` are dismissed (not for the resource "
    "center); ids of items already decided, or of another network, are left alone.",
)
def feed_items_dismiss(
    request: HttpRequest, slug: str, payload: FeedItemsDismissIn
) -> dict[str, Any]:
    access = _access(request, slug)
    count = items_dismiss(network=access.network, ids=payload.ids, by=access.person)
    return {"dismissed": count}
