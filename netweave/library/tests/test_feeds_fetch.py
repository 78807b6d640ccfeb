"""Fetching feeds from a real HTTP server on loopback, and curating what they bring.

The server is http.server in a thread on 127.0.0.1; the tests that use it allow private addresses
(NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES), except those that check the refusal. No request goes
anywhere else: the private addresses that redirects point at are refused before connecting."""

from __future__ import annotations

import gzip
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from netweave.lib import safe_http
from netweave.lib.testing import make_member, make_network
from netweave.lib.tests.loopback_http import Reply, loopback_server
from netweave.library.feed_tasks import fetch_due_feeds, fetch_feed
from netweave.library.ingest import (
    BACKOFF_CAP,
    FeedError,
    backoff,
    feed_add,
    feed_fetch,
    feed_fetch_if_due,
    feed_update,
    feeds_due,
    item_accept,
    item_dismiss,
    items_dismiss,
    resource_language,
)
from netweave.library.models import Feed, FeedItem, Resource
from netweave.library.services import resource_create
from netweave.people.models import Role

pytestmark = pytest.mark.django_db


def rss(*items: tuple[str, str, str], title: str = "Loopback Journal") -> bytes:
    """An RSS 2.0 document with (guid, link, title) items."""
    body = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><link>{link}</link><title>{name}</title>"
        f"<description>&lt;p&gt;About {name}.&lt;/p&gt;</description>"
        "<pubDate>Tue, 03 Jun 2025 09:30:00 GMT</pubDate></item>"
        for guid, link, name in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}"
        f"</title><link>https://journal.example.org/</link>{body}</channel></rss>"
    ).encode()


ONE = ("a-1", "https://journal.example.org/a/1", "First article")
TWO = ("a-2", "https://journal.example.org/a/2", "Second article")
THREE = ("a-3", "https://journal.example.org/a/3", "Third article")


@pytest.fixture
def server(settings):  # type: ignore[no-untyped-def]
    settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = True
    with loopback_server() as s:
        yield s


@pytest.fixture
def network(db):  # type: ignore[no-untyped-def]
    return make_network()


@pytest.fixture
def curator(network):  # type: ignore[no-untyped-def]
    return make_member(network, Role.COORDINATOR)


def follow(network, url: str, **fields) -> Feed:  # type: ignore[no-untyped-def]
    return feed_add(network=network, url=url, by=None, **fields)


class FeedFetchTests:
    def test_a_first_fetch_puts_the_entries_in_the_inbox_and_stores_the_validators(
        self, server, network
    ):
        server.routes["/feed"] = Reply(
            body=rss(ONE, TWO),
            headers={
                "Content-Type": "application/rss+xml",
                "ETag": '"v1"',
                "Last-Modified": "Tue, 03 Jun 2025 10:00:00 GMT",
            },
        )
        feed = follow(network, server.url("/feed"), interval_minutes=60)
        now = timezone.now()
        outcome = feed_fetch(feed_id=feed.pk, now=now)
        feed.refresh_from_db()
        assert outcome.status == "ok" and outcome.new_items == 2 and outcome.entries == 2
        assert feed.title == "Loopback Journal" and feed.site_url == "https://journal.example.org/"
        assert feed.etag == '"v1"' and feed.last_modified == "Tue, 03 Jun 2025 10:00:00 GMT"
        assert feed.last_status == "ok" and feed.failures == 0 and feed.last_error == ""
        assert feed.last_fetched_at == now and feed.next_fetch_at == now + timedelta(minutes=60)
        items = {i.guid: i for i in FeedItem.objects.filter(feed=feed)}
        assert set(items) == {"a-1", "a-2"}
        first = items["a-1"]
        assert first.link == ONE[1] and first.title == "First article"
        assert first.summary == "About First article." and first.status == "new"
        assert first.published_at is not None and first.network_id == network.pk
        assert "NetWeave" in server.requests[0].headers["user-agent"]

    def test_the_next_fetch_is_conditional_and_a_304_adds_nothing(self, server, network):
        def answer(seen):  # type: ignore[no-untyped-def]
            if seen.headers.get("if-none-match") == '"v1"':
                return Reply(304, headers={"ETag": '"v1"'})
            return Reply(
                body=rss(ONE),
                headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Jun 2025 08:00:00 GMT"},
            )

        server.routes["/feed"] = answer
        feed = follow(network, server.url("/feed"))
        feed_fetch(feed_id=feed.pk)
        outcome = feed_fetch(feed_id=feed.pk)
        feed.refresh_from_db()
        second = server.requests[1].headers
        assert second["if-none-match"] == '"v1"'
        assert second["if-modified-since"] == "Mon, 02 Jun 2025 08:00:00 GMT"
        assert outcome.status == "not_modified" and outcome.new_items == 0
        assert feed.last_status == "not_modified" and feed.etag == '"v1"'
        assert feed.last_modified == "Mon, 02 Jun 2025 08:00:00 GMT"
        assert FeedItem.objects.filter(feed=feed).count() == 1

    def test_a_later_fetch_adds_only_the_new_entries(self, server, network):
        server.routes["/feed"] = Reply(body=rss(ONE, TWO))
        feed = follow(network, server.url("/feed"))
        feed_fetch(feed_id=feed.pk)
        # The publisher moves an old entry to another address: its guid keeps it the same item.
        moved = ("a-2", "https://journal.example.org/moved/2", "Second article")
        server.routes["/feed"] = Reply(body=rss(THREE, ONE, moved))
        outcome = feed_fetch(feed_id=feed.pk)
        assert outcome.new_items == 1
        assert sorted(FeedItem.objects.filter(feed=feed).values_list("guid", flat=True)) == [
            "a-1",
            "a-2",
            "a-3",
        ]

    def test_gzip_and_a_declared_charset_are_honoured(self, server, network):
        latin = rss(("c", "https://journal.example.org/c", "Caf\xe9")).replace(
            b"encoding='utf-8'", b""
        )
        latin = latin.decode().encode("latin-1")
        server.routes["/feed"] = Reply(
            body=gzip.compress(latin),
            headers={"Content-Encoding": "gzip", "Content-Type": "text/xml; charset=iso-8859-1"},
        )
        feed = follow(network, server.url("/feed"))
        assert feed_fetch(feed_id=feed.pk).status == "ok"
        assert FeedItem.objects.get(feed=feed).title == "Café"

    def test_items_are_never_published_by_a_fetch(self, server, network):
        server.routes["/feed"] = Reply(body=rss(ONE, TWO, THREE))
        feed = follow(network, server.url("/feed"))
        feed_fetch(feed_id=feed.pk)
        assert Resource.objects.filter(network=network).count() == 0
        assert set(FeedItem.objects.values_list("status", flat=True)) == {"new"}


class FeedDedupeTests:
    def test_an_entry_whose_link_another_feed_brought_is_not_added_again(self, server, network):
        server.routes["/journal"] = Reply(body=rss(ONE, TWO))
        # An alert service carries the same article under its own guid.
        server.routes["/alerts"] = Reply(
            body=rss(
                ("alert-9", ONE[1], "First article (alert)"),
                ("alert-10", "https://x.example.org/", "Other"),
            )
        )
        journal = follow(network, server.url("/journal"))
        alerts = follow(network, server.url("/alerts"))
        feed_fetch(feed_id=journal.pk)
        outcome = feed_fetch(feed_id=alerts.pk)
        assert outcome.new_items == 1
        assert FeedItem.objects.filter(network=network, link=ONE[1]).count() == 1
        assert FeedItem.objects.filter(feed=alerts).get().guid == "alert-10"

    def test_a_link_that_is_already_a_resource_is_not_added(self, server, network):
        resource_create(network=network, by=None, title="Already here", kind="article", url=TWO[1])
        server.routes["/feed"] = Reply(body=rss(ONE, TWO))
        feed = follow(network, server.url("/feed"))
        assert feed_fetch(feed_id=feed.pk).new_items == 1
        assert not FeedItem.objects.filter(link=TWO[1]).exists()

    def test_a_dismissed_item_does_not_come_back(self, server, network):
        server.routes["/feed"] = Reply(body=rss(ONE))
        feed = follow(network, server.url("/feed"))
        feed_fetch(feed_id=feed.pk)
        item_dismiss(item=FeedItem.objects.get(), by=None)
        assert feed_fetch(feed_id=feed.pk).new_items == 0
        assert FeedItem.objects.get().status == "dismissed"

    def test_the_same_link_in_another_network_is_that_networks_own(self, server, network):
        server.routes["/feed"] = Reply(body=rss(ONE))
        elsewhere = make_network()
        ours = follow(network, server.url("/feed"))
        theirs = follow(elsewhere, server.url("/feed"))
        feed_fetch(feed_id=ours.pk)
        assert feed_fetch(feed_id=theirs.pk).new_items == 1

    def test_the_same_entry_twice_in_one_document_is_added_once(self, server, network):
        server.routes["/feed"] = Reply(body=rss(ONE, ONE, ("a-1b", ONE[1], "Same link")))
        feed = follow(network, server.url("/feed"))
        assert feed_fetch(feed_id=feed.pk).new_items == 1


class FeedFailureTests:
    def test_a_slow_server_times_out_and_is_counted(self, server, network, settings):
        settings.NETWEAVE_FEED_TIMEOUT_SECONDS = 0.3
        server.routes["/slow"] = Reply(body=rss(ONE), delay=2)
        feed = follow(network, server.url("/slow"))
        outcome = feed_fetch(feed_id=feed.pk)
        feed.refresh_from_db()
        assert outcome.status == "error" and "timed out" in outcome.message
        assert feed.last_status == "error" and feed.failures == 1 and "timed out" in feed.last_error
        assert not FeedItem.objects.exists()

    def test_a_body_over_the_size_limit_is_refused(self, server, network, settings):
        settings.NETWEAVE_FEED_MAX_BYTES = 2000
        big = rss(*[(f"g{i}", f"https://journal.example.org/{i}", "x" * 50) for i in range(60)])
        server.routes["/big"] = Reply(body=big, send_length=False)
        feed = follow(network, server.url("/big"))
        outcome = feed_fetch(feed_id=feed.pk)
        assert outcome.status == "refused" and "larger than the limit" in outcome.message
        assert not FeedItem.objects.exists()

    def test_a_loopback_feed_is_refused_when_private_addresses_are_not_allowed(
        self, server, network, settings
    ):
        server.routes["/feed"] = Reply(body=rss(ONE))
        feed = Feed.objects.create(network=network, url=server.url("/feed"))
        settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = False
        outcome = feed_fetch(feed_id=feed.pk)
        assert outcome.status == "refused" and "loopback" in outcome.message
        assert server.requests == []

    def test_a_redirect_to_a_private_address_is_refused(
        self, server, network, settings, monkeypatch
    ):
        settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = False
        real = safe_http.address_refusal
        # The test server stands in for a public host; every other address is judged as usual.
        monkeypatch.setattr(
            safe_http,
            "address_refusal",
            lambda a, *, allow_private=False: (
                None if a == "127.0.0.1" else real(a, allow_private=allow_private)
            ),
        )
        server.routes["/feed"] = Reply(302, headers={"Location": "http://169.254.169.254/latest/"})
        feed = Feed.objects.create(network=network, url=server.url("/feed"))
        outcome = feed_fetch(feed_id=feed.pk)
        assert outcome.status == "refused" and "169.254.169.254" in outcome.message
        assert [r.path for r in server.requests] == ["/feed"]

    def test_redirects_on_loopback_are_followed_when_allowed(self, server, network):
        server.routes["/old"] = Reply(301, headers={"Location": "/new"})
        server.routes["/new"] = Reply(body=rss(ONE))
        feed = follow(network, server.url("/old"))
        assert feed_fetch(feed_id=feed.pk).new_items == 1

    def test_a_404_is_explained(self, server, network):
        feed = follow(network, server.url("/gone"))
        outcome = feed_fetch(feed_id=feed.pk)
        assert outcome.status == "error" and "404" in outcome.message
        assert "not at this address" in outcome.message

    def test_a_web_page_is_refused_with_the_feed_it_names(self, server, network):
        server.routes["/"] = Reply(
            body=b'<!doctype html><html><head><link rel="alternate" type="application/atom+xml"'
            b' href="/atom.xml"></head><body>Hi</body></html>',
            headers={"Content-Type": "text/html"},
        )
        feed = follow(network, server.url("/"))
        outcome = feed_fetch(feed_id=feed.pk)
        assert outcome.status == "refused" and server.url("/atom.xml") in outcome.message

    def test_a_feed_that_keeps_failing_is_retried_less_often_capped_at_a_day(self, server, network):
        feed = follow(network, server.url("/missing"), interval_minutes=60)
        now = timezone.now()
        gaps = []
        for _attempt in range(8):
            assert feed.pk in feeds_due(now)
            assert feed_fetch_if_due(feed_id=feed.pk, now=now).status == "error"
            feed.refresh_from_db()
            gaps.append(feed.next_fetch_at - now)
            now = feed.next_fetch_at
        assert feed.failures == 8
        assert gaps[:5] == [timedelta(hours=h) for h in (1, 2, 4, 8, 16)]
        assert gaps[5:] == [BACKOFF_CAP] * 3
        # Still retried: after its backoff it is due again.
        assert feed.pk in feeds_due(feed.next_fetch_at)

    def test_a_success_after_failures_resets_the_count(self, server, network):
        feed = follow(network, server.url("/flaky"))
        feed_fetch(feed_id=feed.pk)
        server.routes["/flaky"] = Reply(body=rss(ONE))
        feed_fetch(feed_id=feed.pk)
        feed.refresh_from_db()
        assert feed.failures == 0 and feed.last_error == "" and feed.last_status == "ok"

    def test_backoff_never_shortens_a_long_interval(self):
        week = 7 * 24 * 60
        assert backoff(week, 6) == timedelta(minutes=week)
        assert backoff(60, 0) == timedelta(hours=1)


class FeedScheduleTests:
    def test_a_feed_that_is_not_due_is_not_fetched(self, server, network):
        server.routes["/feed"] = Reply(body=rss(ONE))
        feed = follow(network, server.url("/feed"))
        now = timezone.now()
        assert feed_fetch_if_due(feed_id=feed.pk, now=now).status == "ok"
        assert feed_fetch_if_due(feed_id=feed.pk, now=now).status == "skipped"
        assert len(server.requests) == 1
        assert feeds_due(now) == []

    def test_paused_feeds_are_not_due_and_a_removed_one_is_missing(self, server, network):
        feed = follow(network, server.url("/feed"))
        feed_update(feed=feed, by=None, active=False)
        assert feeds_due(timezone.now() + timedelta(days=30)) == []
        assert feed_fetch_if_due(feed_id=feed.pk).status == "skipped"
        feed.delete()
        assert feed_fetch_if_due(feed_id=feed.pk).status == "missing"

    def test_the_task_fetches_a_due_feed_and_does_nothing_the_second_time(self, server, network):
        server.routes["/feed"] = Reply(body=rss(ONE, TWO))
        feed = follow(network, server.url("/feed"))
        first = fetch_feed.enqueue(feed.pk)
        second = fetch_feed.enqueue(feed.pk)
        assert first.return_value["status"] == "ok" and first.return_value["new_items"] == 2
        assert second.return_value["status"] == "skipped"
        assert len(server.requests) == 1

    def test_the_sweep_queues_every_due_feed(self, server, network):
        server.routes["/a"] = Reply(body=rss(ONE))
        server.routes["/b"] = Reply(body=rss(TWO))
        follow(network, server.url("/a"))
        follow(network, server.url("/b"))
        assert fetch_due_feeds.enqueue().return_value == 2
        assert FeedItem.objects.count() == 2
        assert fetch_due_feeds.enqueue().return_value == 0

    def test_the_command_prints_its_progress(self, server, network):
        server.routes["/a"] = lambda seen: (
            Reply(304)
            if seen.headers.get("if-none-match") == '"x"'
            else Reply(body=rss(ONE), headers={"ETag": '"x"'})
        )
        follow(network, server.url("/a"), title="Journal A")
        follow(network, server.url("/nothing-here"))
        out = StringIO()
        call_command("fetch_feeds", "--network", network.slug, stdout=out)
        text = out.getvalue()
        assert "Fetching 2 feed(s)" in text and "[1/2]" in text and "[2/2]" in text
        assert "Journal A: 1 new item(s) of 1" in text and "error:" in text
        assert "1 new item(s) in the inbox, 1 feed(s) failed" in text
        out = StringIO()
        call_command("fetch_feeds", stdout=out)
        assert "No feed is due." in out.getvalue()
        out = StringIO()
        call_command("fetch_feeds", "--all", stdout=out)
        assert "Journal A: not modified" in out.getvalue()


class FeedFollowTests:
    def test_the_same_address_is_followed_once_per_network(self, network):
        follow(network, "https://journal.example.org/rss")
        with pytest.raises(FeedError, match="already follows"):
            follow(network, " https://journal.example.org/rss ")
        follow(make_network(), "https://journal.example.org/rss")

    @pytest.mark.parametrize(
        "url", ["", "journal", "ftp://journal.example.org/rss", "http://127.0.0.1/rss",
                "http://localhost:8000/feed", "http://[::1]/feed", "http://10.1.2.3/rss"],
    )  # fmt: skip
    def test_an_address_that_cannot_be_a_public_feed_is_refused(self, network, url):
        with pytest.raises(FeedError):
            follow(network, url)

    def test_feed_colon_addresses_become_https(self, network):
        assert follow(network, "feed://journal.example.org/rss").url == (
            "https://journal.example.org/rss"
        )

    def test_a_new_address_starts_afresh(self, network):
        feed = follow(network, "https://journal.example.org/rss")
        Feed.objects.filter(pk=feed.pk).update(etag='"x"', failures=3, last_status="error")
        feed.refresh_from_db()
        feed = feed_update(feed=feed, by=None, url="https://journal.example.org/atom")
        assert (feed.etag, feed.failures, feed.last_status) == ("", 0, "never")

    def test_the_interval_is_bounded(self, network):
        with pytest.raises(FeedError, match="minutes"):
            follow(network, "https://journal.example.org/rss", interval_minutes=1)


class ItemCurationTests:
    @pytest.fixture
    def item(self, network):  # type: ignore[no-untyped-def]
        from netweave.library.models import Topic

        topic = Topic.objects.create(network=network, name="Prevention", slug="prevention")
        feed = Feed.objects.create(
            network=network,
            url="https://journal.example.org/rss",
            title="Journal",
            default_kind="report",
        )
        feed.default_topics.set([topic])
        return FeedItem.objects.create(
            network=network,
            feed=feed,
            guid="g1",
            link="https://journal.example.org/a/1",
            title="Weaving networks",
            summary="About weaving.",
            author="Ana Lima",
            language="en",
            published_at=timezone.now() - timedelta(days=3),
        )

    def test_accepting_makes_a_resource_in_review_with_the_feeds_defaults(self, item, curator):
        resource = item_accept(item=item, by=curator)
        assert resource.status == "in_review" and resource.kind == "report"
        assert resource.title == "Weaving networks" and resource.url == item.link
        assert resource.summary == "About weaving." and resource.other_authors == "Ana Lima"
        assert [t.slug for t in resource.topics.all()] == ["prevention"]
        assert resource.publication_date == timezone.localdate(item.published_at)
        item.refresh_from_db()
        assert item.status == "accepted" and item.resource == resource
        assert item.decided_by == curator and item.decided_at is not None

    def test_the_language_becomes_one_the_resource_center_knows(self, item, curator):
        FeedItem.objects.filter(pk=item.pk).update(language="en-us")
        item.refresh_from_db()
        assert item_accept(item=item, by=curator).language == "en"
        assert resource_language("pt-BR") == "pt-br" and resource_language("xx-yy") == ""

    def test_accept_and_publish_publishes(self, item, curator):
        resource = item_accept(item=item, by=curator, publish=True, title="Better title")
        assert resource.status == "published" and resource.title == "Better title"

    def test_an_item_is_accepted_once(self, item, curator):
        item_accept(item=item, by=curator)
        with pytest.raises(FeedError, match="already accepted"):
            item_accept(item=item, by=curator)
        with pytest.raises(FeedError, match="archive"):
            item_dismiss(item=item, by=curator)
        assert Resource.objects.count() == 1

    def test_an_item_whose_link_became_a_resource_meanwhile_is_not_accepted(
        self, item, curator, network
    ):
        resource_create(network=network, by=None, title="Manual", kind="article", url=item.link)
        with pytest.raises(FeedError, match="already has this link"):
            item_accept(item=item, by=curator)

    def test_bulk_dismiss_leaves_other_networks_and_decided_items_alone(
        self, item, curator, network
    ):
        other_network = make_network()
        other_feed = Feed.objects.create(network=other_network, url="https://x.example.org/rss")
        theirs = FeedItem.objects.create(network=other_network, feed=other_feed, guid="t")
        accepted = FeedItem.objects.create(
            network=network, feed=item.feed, guid="done", status="accepted"
        )
        assert (
            items_dismiss(network=network, ids=[item.pk, theirs.pk, accepted.pk], by=curator) == 1
        )
        assert FeedItem.objects.get(pk=theirs.pk).status == "new"
        assert FeedItem.objects.get(pk=accepted.pk).status == "accepted"
        assert FeedItem.objects.get(pk=item.pk).status == "dismissed"


class FeedChangedDuringFetchTests:
    """A fetch takes seconds, outside any transaction: what a curator does to the feed
    meanwhile wins over what the fetch read before it started."""

    @pytest.fixture
    def during_fetch(self, monkeypatch):  # type: ignore[no-untyped-def]
        from netweave.library import ingest

        changes: list = []
        real = ingest.safe_fetch

        def fetch(*args, **kwargs):  # type: ignore[no-untyped-def]
            result = real(*args, **kwargs)
            for change in changes:
                change()
            return result

        monkeypatch.setattr(ingest, "safe_fetch", fetch)
        return changes

    def test_a_name_given_meanwhile_is_kept(self, server, network, during_fetch):
        server.routes["/feed"] = Reply(body=rss(ONE))
        feed = follow(network, server.url("/feed"))
        during_fetch.append(lambda: Feed.objects.filter(pk=feed.pk).update(title="Our name"))
        assert feed_fetch(feed_id=feed.pk).status == "ok"
        feed.refresh_from_db()
        assert feed.title == "Our name"
        assert FeedItem.objects.filter(feed=feed).count() == 1

    def test_a_feed_removed_meanwhile_is_missing_not_an_error(self, server, network, during_fetch):
        server.routes["/feed"] = Reply(body=rss(ONE))
        feed = follow(network, server.url("/feed"))
        during_fetch.append(lambda: Feed.objects.filter(pk=feed.pk).delete())
        assert feed_fetch(feed_id=feed.pk).status == "missing"
        server.routes["/gone"] = Reply(404)
        other = follow(network, server.url("/gone"))
        during_fetch[:] = [lambda: Feed.objects.filter(pk=other.pk).delete()]
        assert feed_fetch(feed_id=other.pk).status == "missing"
        assert not FeedItem.objects.exists()

    def test_entries_from_an_address_changed_meanwhile_are_not_stored(
        self, server, network, during_fetch
    ):
        server.routes["/old"] = Reply(body=rss(ONE), headers={"ETag": '"old"'})
        feed = follow(network, server.url("/old"))
        during_fetch.append(lambda: Feed.objects.filter(pk=feed.pk).update(url=server.url("/new")))
        assert feed_fetch(feed_id=feed.pk).status == "skipped"
        feed.refresh_from_db()
        assert feed.url == server.url("/new") and feed.etag == ""
        assert feed.last_status == Feed.FetchStatus.NEVER
        assert not FeedItem.objects.exists()

    def test_a_feed_paused_meanwhile_stays_paused(self, server, network, during_fetch):
        server.routes["/feed"] = Reply(body=rss(ONE))
        feed = follow(network, server.url("/feed"))
        during_fetch.append(
            lambda: Feed.objects.filter(pk=feed.pk).update(active=False, next_fetch_at=None)
        )
        assert feed_fetch(feed_id=feed.pk).status == "ok"
        feed.refresh_from_db()
        assert feed.active is False and feed.next_fetch_at is None
