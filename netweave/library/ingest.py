"""Writes of feed ingestion: following feeds, fetching them, and curating what they bring.

A fetch is a conditional GET (If-None-Match / If-Modified-Since) through `netweave.lib.safe_http`
(timeouts, a size limit, no private addresses), parsed by `netweave.library.feeds`. New entries
land in the inbox as `FeedItem`s with status "new"; nothing is published until a curator accepts
an item, which creates the resource through `netweave.library.services.resource_create`.

An entry is new when its feed has no item with its guid, and its link is neither an item of any
feed of the network nor the address of one of the network's resources (journals and alert
services often carry the same article).

A feed that fails is retried later and later: the interval, doubled for each failure in a row,
capped at a day (or the interval, when that is longer). Nothing is deleted by a fetch.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from netweave.lib.safe_http import FetchFailed, FetchRefused, address_refusal, safe_fetch
from netweave.library.feeds import FeedRefused, ParsedItem, parse_feed
from netweave.library.models import Feed, FeedItem, Resource, Topic
from netweave.networks.models import Network
from netweave.people.models import Person

logger = logging.getLogger(__name__)

INTERVAL_MIN = 15  # minutes
INTERVAL_MAX = 7 * 24 * 60
BACKOFF_CAP = timedelta(days=1)
# While a fetch runs, the feed's next fetch is pushed this far out, so that a second worker (or
# the cron safety net) does not fetch it at the same time; a fetch that dies is retried then.
CLAIM = timedelta(minutes=15)
NEW_ITEMS_MAX = 500  # per fetch: a feed that dumps its archive does not flood the inbox
_IN_CHUNK = 400  # values per IN (...) clause, well under SQLite's limit
ERROR_MAX = 1000


class FeedError(Exception):
    """A request that breaks a rule of feed ingestion; its message is safe to show."""


@dataclass(frozen=True)
class FetchOutcome:
    """What one fetch did. `status` is a `Feed.FetchStatus` value, or "missing" when the feed is
    gone, or "skipped" when it was not due (tasks only) or got a new address during the fetch."""

    feed_id: int
    status: str
    new_items: int = 0
    entries: int = 0  # entries the feed had this time
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (Feed.FetchStatus.OK, Feed.FetchStatus.NOT_MODIFIED)


# --- following feeds -----------------------------------------------------------------------------


def feed_url_clean(url: str) -> str:
    """The feed address as stored, or FeedError saying what is wrong with it."""
    url = (url or "").strip()
    if url.lower().startswith("feed://"):  # an old browser convention for "this is a feed"
        url = "https://" + url[len("feed://") :]
    if not url:
        raise FeedError(_("Give the address of the feed (it starts with https://)."))
    if len(url) > 1000:
        raise FeedError(_("This address is too long (at most 1,000 characters)."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise FeedError(
            _("“%(url)s” is not a web address. A feed address starts with https:// or http://.")
            % {"url": url[:200]}
        ) from None
    host = (urlsplit(url).hostname or "").strip("[]")
    if not settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES:
        # Host names are checked when they are fetched (their addresses can change); an address
        # written out, or localhost, can be refused right away.
        try:
            ipaddress.ip_address(host)
        except ValueError:
            private = host == "localhost" or host.endswith(".localhost")
        else:
            private = address_refusal(host) is not None
        if private:
            raise FeedError(
                _(
                    "This address points inside a private network (%(host)s); feeds are only "
                    "fetched from the public internet."
                )
                % {"host": host}
            )
    return url


def _clean_interval(minutes: int) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise FeedError(_("The interval must be a number of minutes.")) from None
    if not INTERVAL_MIN <= minutes <= INTERVAL_MAX:
        raise FeedError(
            _("Fetch a feed every %(low)d minutes at the most often, and once a week at least.")
            % {"low": INTERVAL_MIN}
        )
    return minutes


def _clean_kind(kind: str) -> str:
    if kind not in Resource.Kind.values:
        raise FeedError(
            _("“%(kind)s” is not a kind of resource; choose one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(Resource.Kind.values)}
        )
    return kind


def _clean_topics(network: Network, topics: Iterable[Topic | int]) -> list[Topic]:
    ids = {topic.pk if isinstance(topic, Topic) else int(topic) for topic in topics}
    found = list(Topic.objects.filter(network=network, pk__in=ids))
    if len(found) != len(ids):
        raise FeedError(_("Some of these topics are not topics of this network."))
    return found


def _check_unique(network: Network, url: str, feed: Feed | None = None) -> None:
    others = Feed.objects.filter(network=network, url=url)
    if feed is not None:
        others = others.exclude(pk=feed.pk)
    if others.exists():
        raise FeedError(_("This network already follows the feed at %(url)s.") % {"url": url})


def feed_add(
    *,
    network: Network,
    url: str,
    by: Person | None,
    title: str = "",
    default_kind: str = Resource.Kind.ARTICLE,
    default_topics: Iterable[Topic | int] = (),
    interval_minutes: int = 360,
    active: bool = True,
    now: datetime | None = None,
) -> Feed:
    """Follow the feed at `url`; it is fetched right away (in the background), then every
    `interval_minutes`. FeedError for an address that is not valid or is already followed."""
    now = now or timezone.now()
    url = feed_url_clean(url)
    feed = Feed(
        network=network,
        url=url,
        title=(title or "").strip()[:300],
        default_kind=_clean_kind(default_kind),
        interval_minutes=_clean_interval(interval_minutes),
        active=active,
        next_fetch_at=now if active else None,
        added_by=by,
        created_at=now,
    )
    topics = _clean_topics(network, default_topics)
    try:
        with transaction.atomic():
            _check_unique(network, url)
            feed.save()
            feed.default_topics.set(topics)
    except IntegrityError:  # the same address added at the same moment
        raise FeedError(
            _("This network already follows the feed at %(url)s.") % {"url": url}
        ) from None
    if active:
        transaction.on_commit(lambda: _enqueue_fetch(feed.pk))
    return feed


FEED_FIELDS = {"url", "title", "active", "interval_minutes", "default_kind", "default_topics"}


def feed_update(
    *, feed: Feed, by: Person | None, now: datetime | None = None, **fields: Any
) -> Feed:
    """Change a feed's address, title, schedule or what its resources get by default. A new
    address starts afresh (no stored ETag, no failures) and is fetched right away."""
    unknown = set(fields) - FEED_FIELDS
    if unknown:
        raise TypeError(f"feed_update() got unknown fields: {sorted(unknown)}")
    now = now or timezone.now()
    changed: set[str] = set()
    refetch = False
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=feed.pk)
        if "url" in fields:
            url = feed_url_clean(fields["url"])
            if url != feed.url:
                _check_unique(feed.network, url, feed)
                feed.url = url
                feed.etag = feed.last_modified = feed.last_error = ""
                feed.failures = 0
                feed.last_status = Feed.FetchStatus.NEVER
                changed |= {"url", "etag", "last_modified", "last_error", "failures", "last_status"}
                refetch = True
        if "title" in fields:
            feed.title = (fields["title"] or "").strip()[:300]
            changed.add("title")
        if "default_kind" in fields:
            feed.default_kind = _clean_kind(fields["default_kind"])
            changed.add("default_kind")
        if "interval_minutes" in fields:
            minutes = _clean_interval(fields["interval_minutes"])
            if minutes != feed.interval_minutes:
                feed.interval_minutes = minutes
                changed.add("interval_minutes")
                if feed.active and feed.last_fetched_at and not feed.failures:
                    feed.next_fetch_at = feed.last_fetched_at + timedelta(minutes=minutes)
                    changed.add("next_fetch_at")
        if "active" in fields and bool(fields["active"]) != feed.active:
            feed.active = bool(fields["active"])
            changed.add("active")
            refetch = refetch or feed.active
            if not feed.active:
                feed.next_fetch_at = None
                changed.add("next_fetch_at")
        if refetch and feed.active:
            feed.next_fetch_at = now
            changed.add("next_fetch_at")
        if changed:
            feed.save(update_fields=sorted(changed))
        if "default_topics" in fields:
            feed.default_topics.set(_clean_topics(feed.network, fields["default_topics"]))
    if refetch and feed.active:
        transaction.on_commit(lambda: _enqueue_fetch(feed.pk))
    return feed


def feed_remove(*, feed: Feed, by: Person | None) -> None:
    """Stop following a feed. Its inbox items go with it; resources already accepted from it
    stay in the resource center."""
    logger.info("feed %s (%s) removed by %s", feed.pk, feed.url, by.pk if by else None)
    feed.delete()


def feed_fetch_request(*, feed: Feed, by: Person | None, now: datetime | None = None) -> Feed:
    """ "Fetch now": make the feed due and queue its fetch (also for a paused feed, once)."""
    now = now or timezone.now()
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=now)
    feed.next_fetch_at = now
    transaction.on_commit(lambda: _enqueue_fetch(feed.pk))
    return feed


def _enqueue_fetch(feed_id: int) -> None:
    from netweave.library.feed_tasks import fetch_feed

    fetch_feed.enqueue(feed_id)


# --- fetching ------------------------------------------------------------------------------------


def feeds_due(now: datetime | None = None, *, network: Network | None = None) -> list[int]:
    """Ids of the active feeds whose next fetch is due, the longest overdue first."""
    now = now or timezone.now()
    due = Feed.objects.filter(active=True).filter(
        Q(next_fetch_at__lte=now) | Q(next_fetch_at__isnull=True)
    )
    if network is not None:
        due = due.filter(network=network)
    return list(due.order_by("next_fetch_at", "pk").values_list("pk", flat=True))


def feed_claim(*, feed_id: int, now: datetime | None = None) -> bool:
    """Take a due feed for fetching: True for exactly one caller while it is due. Paused feeds
    are due only after "fetch now"."""
    now = now or timezone.now()
    claimed = (
        Feed.objects.filter(pk=feed_id)
        .filter(
            Q(next_fetch_at__lte=now) | Q(next_fetch_at__isnull=True, active=True),
        )
        .update(next_fetch_at=now + CLAIM)
    )
    return claimed == 1


def feed_fetch_if_due(*, feed_id: int, now: datetime | None = None) -> FetchOutcome:
    """Fetch the feed if it is due (the task and the cron command call this): twice in a row,
    or from two workers at once, fetches once."""
    if not feed_claim(feed_id=feed_id, now=now):
        exists = Feed.objects.filter(pk=feed_id).exists()
        return FetchOutcome(feed_id=feed_id, status="skipped" if exists else "missing")
    return feed_fetch(feed_id=feed_id, now=now)


def backoff(interval_minutes: int, failures: int) -> timedelta:
    """How long after a fetch the next one comes: the interval, and after failures in a row the
    interval doubled for each but the first, capped at a day (never shorter than the interval)."""
    interval = timedelta(minutes=interval_minutes)
    if failures <= 1:
        return interval
    longer = interval * (2 ** min(failures - 1, 16))
    return max(interval, min(longer, BACKOFF_CAP))


def _http_words(status: int, url: str) -> str:
    if status in (401, 403):
        return _(
            "The server refused access (HTTP %(status)d). The feed may need a subscription or "
            "a login, which NetWeave cannot use."
        ) % {"status": status}
    if status == 404:
        return _(
            "The feed is not at this address any more (HTTP 404). Check the journal's website "
            "for its current feed address."
        )
    if status == 410:
        return _("The feed was removed by its publisher (HTTP 410). You may stop following it.")
    if status == 429:
        return _("The server says we ask too often (HTTP 429). Fetch this feed less often.")
    if 500 <= status < 600:
        return _(
            "The feed's server had an error (HTTP %(status)d). This is usually temporary; "
            "it will be tried again."
        ) % {"status": status}
    return _("The server answered HTTP %(status)d instead of the feed.") % {"status": status}


def feed_fetch(*, feed_id: int, now: datetime | None = None) -> FetchOutcome:
    """Fetch one feed now, whatever its schedule, and record how it went. The request is made
    outside any transaction; the results are written in one."""
    now = now or timezone.now()
    feed = Feed.objects.select_related("network").filter(pk=feed_id).first()
    if feed is None:
        return FetchOutcome(feed_id=feed_id, status="missing")
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
               "text/xml;q=0.9, */*;q=0.5"}  # fmt: skip
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        result = safe_fetch(
            feed.url,
            headers=headers,
            timeout=settings.NETWEAVE_FEED_TIMEOUT_SECONDS,
            max_bytes=settings.NETWEAVE_FEED_MAX_BYTES,
        )
    except FetchRefused as error:
        return _record_failure(feed, Feed.FetchStatus.REFUSED, error.reason, now)
    except FetchFailed as error:
        return _record_failure(feed, Feed.FetchStatus.ERROR, error.reason, now)
    except Exception as error:  # a bug must not leave the feed claimed and silent
        logger.exception("fetching feed %s failed unexpectedly", feed.pk)
        return _record_failure(
            feed, Feed.FetchStatus.ERROR, f"Unexpected error ({type(error).__name__}).", now
        )
    if result.status == 304:
        with transaction.atomic():
            current = _current(feed)
            if current is None or current.url != feed.url:
                return _overtaken(feed, current)
            return _succeeded(current, Feed.FetchStatus.NOT_MODIFIED, now, result.headers)
    if result.status != 200:
        return _record_failure(
            feed, Feed.FetchStatus.ERROR, _http_words(result.status, feed.url), now
        )
    try:
        parsed = parse_feed(result.content, headers=result.headers, base_url=result.url)
    except FeedRefused as error:
        return _record_failure(feed, Feed.FetchStatus.REFUSED, error.reason, now)
    with transaction.atomic():
        current = _current(feed)
        if current is None or current.url != feed.url:
            return _overtaken(feed, current)
        new = _store_items(current, parsed.items, now)
        if not current.title and parsed.title:
            current.title = parsed.title[:300]
        if not current.site_url and parsed.site_url:
            current.site_url = parsed.site_url[:1000]
        outcome = _succeeded(
            current,
            Feed.FetchStatus.OK,
            now,
            result.headers,
            new_items=new,
            entries=len(parsed.items),
            warning=parsed.warning,
        )
    return outcome


def _current(feed: Feed) -> Feed | None:
    """The feed's row as it is now, locked: the request ran outside any transaction, and a
    curator may have renamed, paused, re-addressed or removed the feed meanwhile."""
    return Feed.objects.select_for_update().filter(pk=feed.pk).first()


def _overtaken(feed: Feed, current: Feed | None) -> FetchOutcome:
    """The feed was removed, or given a new address (fetched afresh on its own), while its old
    address was being fetched: what the old address answered is not recorded."""
    return FetchOutcome(feed_id=feed.pk, status="missing" if current is None else "skipped")


def _record_failure(feed: Feed, status: str, reason: str, now: datetime) -> FetchOutcome:
    with transaction.atomic():
        current = _current(feed)
        if current is None or current.url != feed.url:
            return _overtaken(feed, current)
        return _failed(current, status, reason, now)


def _schedule(feed: Feed, now: datetime) -> None:
    feed.next_fetch_at = (
        now + backoff(feed.interval_minutes, feed.failures) if feed.active else None
    )


def _succeeded(
    feed: Feed,
    status: str,
    now: datetime,
    headers: Any,
    *,
    new_items: int = 0,
    entries: int = 0,
    warning: str = "",
) -> FetchOutcome:
    feed.last_status = status
    feed.last_fetched_at = now
    feed.failures = 0
    feed.last_error = warning[:ERROR_MAX]  # a flawed feed that still gave entries says so
    # A 304 may repeat the validators or leave them out; keep the old ones if it does not.
    etag = (headers.get("ETag") or "").strip()
    modified = (headers.get("Last-Modified") or "").strip()
    if etag or status == Feed.FetchStatus.OK:
        feed.etag = etag[:300] if len(etag) <= 300 else ""
    if modified or status == Feed.FetchStatus.OK:
        feed.last_modified = modified[:100] if len(modified) <= 100 else ""
    _schedule(feed, now)
    feed.save(
        update_fields=[
            "title",
            "site_url",
            "etag",
            "last_modified",
            "last_fetched_at",
            "next_fetch_at",
            "last_status",
            "last_error",
            "failures",
        ]
    )
    return FetchOutcome(
        feed_id=feed.pk, status=status, new_items=new_items, entries=entries, message=warning
    )


def _failed(feed: Feed, status: str, reason: str, now: datetime) -> FetchOutcome:
    feed.last_status = status
    feed.last_fetched_at = now
    feed.failures += 1
    feed.last_error = reason[:ERROR_MAX]
    _schedule(feed, now)
    feed.save(
        update_fields=["last_fetched_at", "next_fetch_at", "last_status", "last_error", "failures"]
    )
    logger.info("feed %s failed (%s): %s", feed.pk, status, reason)
    return FetchOutcome(feed_id=feed.pk, status=status, message=reason)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _store_items(feed: Feed, items: list[ParsedItem], now: datetime) -> int:
    """Insert the entries that are new to the network; returns how many."""
    guids = list(dict.fromkeys(item.guid for item in items))
    links = list(dict.fromkeys(item.link for item in items if item.link))
    known_guids: set[str] = set()
    for chunk in _chunks(guids):
        known_guids.update(
            FeedItem.objects.filter(feed=feed, guid__in=chunk).values_list("guid", flat=True)
        )
    known_links: set[str] = set()
    for chunk in _chunks(links):
        known_links.update(
            FeedItem.objects.filter(network_id=feed.network_id, link__in=chunk).values_list(
                "link", flat=True
            )
        )
        known_links.update(
            Resource.objects.filter(network_id=feed.network_id, url__in=chunk).values_list(
                "url", flat=True
            )
        )
    rows: list[FeedItem] = []
    for item in items:
        if item.guid in known_guids or (item.link and item.link in known_links):
            continue
        known_guids.add(item.guid)
        if item.link:
            known_links.add(item.link)
        rows.append(
            FeedItem(
                network_id=feed.network_id,
                feed=feed,
                guid=item.guid,
                link=item.link,
                title=item.title,
                summary=item.summary,
                author=item.author,
                language=item.language,
                published_at=item.published,
                fetched_at=now,
            )
        )
        if len(rows) >= NEW_ITEMS_MAX:
            break
    # ignore_conflicts: a fetch of the same feed that slipped past the claim adds nothing twice.
    FeedItem.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- curating ------------------------------------------------------------------------------------

ACCEPT_OVERRIDES = {
    "title",
    "kind",
    "summary",
    "language",
    "topics",
    "phases",
    "visibility",
    "other_authors",
    "publication_date",
    "url",
}


def resource_language(code: str) -> str:
    """A feed's language tag as the resource center knows languages (Django's LANG_INFO):
    "en-GB" stays "en-gb", "en-US" becomes "en", an unknown tag becomes ""."""
    from django.conf.locale import LANG_INFO

    code = (code or "").strip().lower().replace("_", "-")
    if code in LANG_INFO and "name" in LANG_INFO[code]:
        return code
    primary = code.split("-", 1)[0]
    return primary if primary in LANG_INFO and "name" in LANG_INFO[primary] else ""


def _decided(item: FeedItem) -> FeedError:
    if item.status == FeedItem.Status.ACCEPTED:
        return FeedError(_("This item was already accepted."))
    return FeedError(_("This item was dismissed; it can no longer be accepted."))


def item_accept(
    *, item: FeedItem, by: Person | None, publish: bool = False, **overrides: Any
) -> Resource:
    """Turn an inbox item into a resource: in review, or published when the curator chose
    "Accept and publish". The feed's kind and topics are the defaults; `overrides` (title,
    kind, summary, language, topics, phases, visibility, other_authors, publication_date, url)
    replace them. FeedError when the item was already decided or its link is already a
    resource; LibraryError from the resource center's own rules."""
    from netweave.library.services import resource_create

    unknown = set(overrides) - ACCEPT_OVERRIDES
    if unknown:
        raise TypeError(f"item_accept() got unknown fields: {sorted(unknown)}")
    now = timezone.now()
    with transaction.atomic():
        locked = (
            FeedItem.objects.select_for_update()
            .select_related("feed", "network")
            .filter(pk=item.pk)
            .first()
        )
        if locked is None:
            raise FeedError(_("This item is no longer in the inbox."))
        if locked.status != FeedItem.Status.NEW:
            raise _decided(locked)
        url = overrides.pop("url", None) or locked.link
        if url:
            existing = Resource.objects.filter(network_id=locked.network_id, url=url).first()
            if existing is not None:
                raise FeedError(
                    _("The resource center already has this link: “%(title)s”. Dismiss the item.")
                    % {"title": existing.title}
                )
        topics = overrides.pop("topics", None)
        if topics is None:
            topics = list(locked.feed.default_topics.all())
        published = locked.published_at
        fields: dict[str, Any] = {
            "title": locked.title or locked.link or _("Untitled item"),
            "kind": locked.feed.default_kind,
            "summary": locked.summary,
            "language": resource_language(locked.language),
            "other_authors": locked.author,
            "publication_date": timezone.localdate(published) if published else None,
        }
        fields.update({key: value for key, value in overrides.items() if value is not None})
        resource = resource_create(
            network=locked.network,
            by=by,
            url=url or "",
            topics=topics,
            status=Resource.Status.PUBLISHED if publish else Resource.Status.IN_REVIEW,
            note=_("From the feed “%(feed)s”.") % {"feed": str(locked.feed)},
            **fields,
        )
        locked.status = FeedItem.Status.ACCEPTED
        locked.resource = resource
        locked.decided_by = by
        locked.decided_at = now
        locked.save(update_fields=["status", "resource", "decided_by", "decided_at"])
    item.status, item.resource, item.decided_by, item.decided_at = (
        locked.status,
        resource,
        by,
        now,
    )
    return resource


def item_dismiss(*, item: FeedItem, by: Person | None) -> FeedItem:
    """Not for the resource center. Dismissing twice changes nothing; an accepted item cannot
    be dismissed (its resource exists)."""
    with transaction.atomic():
        locked = FeedItem.objects.select_for_update().get(pk=item.pk)
        if locked.status == FeedItem.Status.ACCEPTED:
            raise FeedError(
                _("This item was accepted; archive its resource instead of dismissing it.")
            )
        if locked.status == FeedItem.Status.NEW:
            locked.status = FeedItem.Status.DISMISSED
            locked.decided_by = by
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at"])
    item.status, item.decided_by, item.decided_at = (
        locked.status,
        locked.decided_by,
        locked.decided_at,
    )
    return item


def items_dismiss(*, network: Network, ids: Iterable[int], by: Person | None) -> int:
    """Dismiss the new items among `ids` in one go (ids of other networks, and items already
    decided, are left alone); returns how many were dismissed."""
    ids = [int(i) for i in ids]
    if not ids:
        return 0
    return FeedItem.objects.filter(network=network, pk__in=ids, status=FeedItem.Status.NEW).update(
        status=FeedItem.Status.DISMISSED, decided_by=by, decided_at=timezone.now()
    )
