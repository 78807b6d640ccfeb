"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
feed ingestion, which is curation (stewards and coordinators, Capability.CURATE)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from netweave.library.models import Feed, FeedItem
from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

CURATORS = Who.STEWARD_UP

# Rows named in URLs: another network's are not found through this network's URLs.
OBJECT_PARAMS = {"feed_id", "feed_item_id"}

PAGES: dict[str, Page] = {
    "library:feeds": Page(Row.SETTINGS, get=CURATORS, post=Who.NO_ONE),
    "library:feed_add": Page(Row.SETTINGS, get=CURATORS, post=CURATORS),
    "library:feed_edit": Page(Row.SETTINGS, get=CURATORS, post=CURATORS),
    "library:feed_remove": Page(Row.SETTINGS, get=CURATORS, post=CURATORS),
    "library:feed_fetch": Page(Row.SETTINGS, get=Who.NO_ONE, post=CURATORS),
    "library:feed_status": Page(Row.SETTINGS, get=CURATORS, post=Who.NO_ONE),
    "library:feed_inbox": Page(Row.SETTINGS, get=CURATORS, post=Who.NO_ONE),
    "library:feed_items_dismiss": Page(Row.SETTINGS, get=Who.NO_ONE, post=CURATORS),
    "library:feed_item_accept": Page(
        Row.SETTINGS,
        get=Who.NO_ONE,
        post=CURATORS,
        note="accepting makes the item a resource in review (publish=1: published)",
    ),
    "library:feed_item_dismiss": Page(Row.SETTINGS, get=Who.NO_ONE, post=CURATORS),
}

API: dict[str, ApiOp] = {
    "feeds_list": ApiOp(Row.SETTINGS, CURATORS),
    "feeds_create": ApiOp(
        Row.SETTINGS, CURATORS, body={"url": "https://journal.example.org/new-feed.xml"}
    ),
    "feeds_read": ApiOp(Row.SETTINGS, CURATORS),
    "feeds_update": ApiOp(Row.SETTINGS, CURATORS, body={"title": "Renamed"}),
    "feeds_delete": ApiOp(Row.SETTINGS, CURATORS),
    "feeds_fetch": ApiOp(Row.SETTINGS, CURATORS),
    "feed_items_list": ApiOp(Row.SETTINGS, CURATORS),
    "feed_items_accept": ApiOp(Row.SETTINGS, CURATORS, body={}),
    "feed_items_dismiss": ApiOp(Row.SETTINGS, CURATORS, body={"ids": []}),
}

FILLERS: dict[str, Any] = {
    "feed_id": lambda w, role: w.extras["feeds_feed"].pk,
    "feed_item_id": lambda w, role: w.extras["feeds_item"].pk,
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """A feed the network follows, with one new item in the inbox."""
    feed = Feed.objects.create(
        network=network,
        url=f"https://journal.example.org/{network.slug}/feed.xml",
        title="Walk Journal",
        next_fetch_at=timezone.now() + timedelta(hours=6),
        last_status=Feed.FetchStatus.OK,
    )
    item = FeedItem.objects.create(
        network=network,
        feed=feed,
        guid=f"walk-{network.slug}-1",
        link=f"https://journal.example.org/{network.slug}/articles/1",
        title="A walk through the inbox",
        summary="Plain text.",
    )
    return {"feeds_feed": feed, "feeds_item": item}
