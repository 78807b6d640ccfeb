"""Background fetching of the feeds. Each feed books its own next run as a deferred task (on a
backend that can defer, like the database backend `netweave worker` runs); `fetch_due_feeds`,
from cron or the `fetch_feeds` command, is the safety net for runs that were lost.

Both are idempotent: a feed that is not due is not fetched, so a second run, or a run booked
before a "fetch now", does nothing (and books nothing, so only one chain of runs per feed lives).
"""

from __future__ import annotations

from django_tasks import task


def fetch_later(feed_id: int) -> bool:
    """Book the feed's next run for its `next_fetch_at`; False when nothing was booked (a paused
    or removed feed, or a backend that cannot defer, where the cron safety net does the work)."""
    from netweave.library.models import Feed

    feed = Feed.objects.filter(pk=feed_id).only("active", "next_fetch_at").first()
    if feed is None or not feed.active or feed.next_fetch_at is None:
        return False
    if not getattr(fetch_feed.get_backend(), "supports_defer", False):
        return False
    fetch_feed.using(run_after=feed.next_fetch_at).enqueue(feed_id)
    return True


@task()
def fetch_feed(feed_id: int) -> dict[str, object]:
    """Fetch one feed if it is due, then book its next run."""
    from netweave.library.ingest import feed_fetch_if_due

    outcome = feed_fetch_if_due(feed_id=feed_id)
    if outcome.status not in ("skipped", "missing"):
        fetch_later(feed_id)
    return {
        "feed_id": feed_id,
        "status": outcome.status,
        "new_items": outcome.new_items,
        "message": outcome.message,
    }


@task()
def fetch_due_feeds() -> int:
    """Queue a fetch for every feed that is due; returns how many were queued."""
    from netweave.library.ingest import feeds_due

    due = feeds_due()
    for feed_id in due:
        fetch_feed.enqueue(feed_id)
    return len(due)
