"""Reads of feed ingestion: the feeds a network follows and the curation inbox. Curators only
(stewards and coordinators); every read is filtered by the viewer's network. Lists cost a fixed
number of queries, whatever their length."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from netweave.library.models import Feed, FeedItem, Topic
from netweave.networks.permissions import Access, Capability


def feeds_for_curation(*, access: Access) -> QuerySet[Feed]:
    """The network's feeds with `waiting` (new items), `accepted` and `dismissed` counts, by
    title: one query (two with the topics prefetched)."""
    access.require(Capability.CURATE)
    return (
        Feed.objects.filter(network=access.network)
        .annotate(
            waiting=Count("items", filter=Q(items__status=FeedItem.Status.NEW)),
            accepted=Count("items", filter=Q(items__status=FeedItem.Status.ACCEPTED)),
            dismissed=Count("items", filter=Q(items__status=FeedItem.Status.DISMISSED)),
        )
        .prefetch_related(Prefetch("default_topics", queryset=Topic.objects.order_by("name")))
        .order_by("title", "url")
    )


def feed_for_curator(*, access: Access, feed_id: int) -> Feed:
    """One feed of the viewer's network, with its counts; a 404 for another network's."""
    feed = feeds_for_curation(access=access).filter(pk=feed_id).first()
    if feed is None:
        raise Http404
    return feed


def inbox_items(
    *, access: Access, feed_id: int | None = None, status: str = FeedItem.Status.NEW
) -> QuerySet[FeedItem]:
    """Items of the network's feeds with `status` ("" for every status), newest first (by
    publication date, or when they were fetched for entries without one)."""
    access.require(Capability.CURATE)
    items = FeedItem.objects.filter(network=access.network)
    if status:
        items = items.filter(status=status)
    if feed_id is not None:
        items = items.filter(feed_id=feed_id)
    return items.select_related("feed", "resource", "decided_by").order_by(
        Coalesce(F("published_at"), F("fetched_at")).desc(), "-pk"
    )


def item_for_curator(*, access: Access, item_id: int) -> FeedItem:
    access.require(Capability.CURATE)
    item = (
        FeedItem.objects.filter(network=access.network, pk=item_id)
        .select_related("feed", "network", "resource")
        .first()
    )
    if item is None:
        raise Http404
    return item


def inbox_counts(*, access: Access, feed_id: int | None = None) -> dict[str, int]:
    """How many items each status has (one query)."""
    access.require(Capability.CURATE)
    items = FeedItem.objects.filter(network=access.network)
    if feed_id is not None:
        items = items.filter(feed_id=feed_id)
    counts = {status: 0 for status in FeedItem.Status.values}
    for row in items.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts
