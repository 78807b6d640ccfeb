"""The feed pages: the feeds list, following, editing and removing a feed, "fetch now", and the
inbox with accept, accept-and-publish, dismiss and bulk dismiss (with and without htmx)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from netweave.lib.tests.loopback_http import Reply, loopback_server
from netweave.library.models import Feed, FeedItem, Resource

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, cast, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"library:{name}", kwargs={"network_slug": cast.network.slug, **kwargs})


@pytest.fixture
def curator_client(client, cast):  # type: ignore[no-untyped-def]
    client.force_login(cast.steward.user)
    return client


def make_feed(network, **fields) -> Feed:  # type: ignore[no-untyped-def]
    fields.setdefault("url", f"https://journal.example.org/{Feed.objects.count()}/rss")
    fields.setdefault("title", "Journal")
    return Feed.objects.create(network=network, **fields)


def make_item(feed: Feed, n: int, **fields) -> FeedItem:  # type: ignore[no-untyped-def]
    fields.setdefault("published_at", timezone.now() - timedelta(days=n))
    return FeedItem.objects.create(
        network=feed.network,
        feed=feed,
        guid=f"{feed.pk}-{n}",
        link=f"https://journal.example.org/{feed.pk}/a/{n}",
        title=f"Article {n}",
        summary=f"Summary of article {n}.",
        **fields,
    )


class FeedListPageTests:
    def test_an_empty_list_says_what_to_do(self, curator_client, cast):
        page = curator_client.get(url("feeds", cast)).content.decode()
        assert "No feeds yet: add the address of a journal" in page
        assert url("feed_add", cast) in page

    def test_members_may_not_see_it(self, client, cast):
        client.force_login(cast.member.user)
        assert client.get(url("feeds", cast)).status_code == 403

    def test_each_feed_shows_its_status_next_fetch_and_waiting_items(self, curator_client, cast):
        now = timezone.now()
        ok = make_feed(
            cast.network,
            title="Good Journal",
            last_status="ok",
            last_fetched_at=now - timedelta(hours=1),
            next_fetch_at=now + timedelta(hours=5),
        )
        make_item(ok, 1)
        make_item(ok, 2)
        make_feed(
            cast.network,
            title="Broken Journal",
            last_status="error",
            last_error="The feed is not at this address any more (HTTP 404).",
            failures=6,
            next_fetch_at=now + timedelta(days=1),
        )
        make_feed(cast.network, title="Paused Journal", active=False)
        page = curator_client.get(url("feeds", cast)).content.decode()
        assert "Good Journal" in page and "2 items waiting" in page
        assert "Next fetch" in page and "from now" in page
        assert "The feed is not at this address any more (HTTP 404)." in page
        assert "failed 6 times in a row" in page and "check the address in a browser" in page
        assert "Paused: not fetched on schedule." in page

    def test_the_list_costs_the_same_queries_for_many_feeds(
        self, curator_client, cast, django_assert_max_num_queries
    ):
        for n in range(30):
            feed = make_feed(cast.network, title=f"Journal {n}")
            make_item(feed, n)
        with django_assert_max_num_queries(12):
            assert curator_client.get(url("feeds", cast)).status_code == 200


class FeedFormPageTests:
    def test_following_a_feed(self, curator_client, cast):
        response = curator_client.post(
            url("feed_add", cast),
            {
                "url": "https://journal.example.org/rss",
                "title": "",
                "interval_minutes": "1440",
                "default_kind": "report",
                "active": "on",
            },
        )
        assert response.status_code == 302 and response["Location"] == url("feeds", cast)
        feed = Feed.objects.get(network=cast.network)
        assert feed.interval_minutes == 1440 and feed.default_kind == "report"
        assert feed.added_by == cast.steward and feed.next_fetch_at is not None

    @pytest.mark.parametrize(
        ("address", "message"),
        [
            ("not an address", "Enter a valid URL"),
            ("http://127.0.0.1/rss", "private network"),
            ("ftp://journal.example.org/rss", "starts with https://"),
        ],
    )
    def test_a_bad_address_is_explained(self, curator_client, cast, address, message):
        response = curator_client.post(
            url("feed_add", cast),
            {"url": address, "interval_minutes": "360", "default_kind": "article"},
        )
        assert response.status_code == 400 and message in response.content.decode()
        assert not Feed.objects.exists()

    def test_an_address_already_followed_is_explained(self, curator_client, cast):
        make_feed(cast.network, url="https://journal.example.org/rss")
        response = curator_client.post(
            url("feed_add", cast),
            {"url": "https://journal.example.org/rss", "interval_minutes": "360",
             "default_kind": "article"},
        )  # fmt: skip
        assert response.status_code == 400 and "already follows" in response.content.decode()

    def test_editing_pauses_and_renames(self, curator_client, cast):
        feed = make_feed(cast.network, next_fetch_at=timezone.now())
        form = curator_client.get(url("feed_edit", cast, feed_id=feed.pk)).content.decode()
        assert feed.url in form
        response = curator_client.post(
            url("feed_edit", cast, feed_id=feed.pk),
            {"url": feed.url, "title": "Renamed", "interval_minutes": "60",
             "default_kind": "tool"},
        )  # fmt: skip
        assert response.status_code == 302
        feed.refresh_from_db()
        assert (feed.title, feed.active, feed.next_fetch_at, feed.default_kind) == (
            "Renamed",
            False,
            None,
            "tool",
        )

    def test_removing_asks_first_and_keeps_accepted_resources(self, curator_client, cast):
        feed = make_feed(cast.network)
        make_item(feed, 1)
        page = curator_client.get(url("feed_remove", cast, feed_id=feed.pk)).content.decode()
        assert "Resources already accepted from it stay" in page and "1 item waiting" in page
        response = curator_client.post(url("feed_remove", cast, feed_id=feed.pk))
        assert response.status_code == 302 and not Feed.objects.exists()

    def test_another_networks_feed_is_not_found(self, curator_client, cast):
        theirs = make_feed(cast.other_network)
        for name in ("feed_edit", "feed_remove", "feed_status"):
            assert curator_client.get(url(name, cast, feed_id=theirs.pk)).status_code == 404
        assert curator_client.post(url("feed_fetch", cast, feed_id=theirs.pk)).status_code == 404


class FetchNowPageTests:
    def test_fetch_now_without_javascript_fetches_and_comes_back(
        self, curator_client, cast, settings, django_capture_on_commit_callbacks
    ):
        settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = True
        with loopback_server() as server:
            server.routes["/rss"] = Reply(
                body=b"<rss version='2.0'><channel><title>Loop</title><item><guid>1</guid>"
                b"<title>Hello</title><link>https://example.org/hello</link></item></channel></rss>"
            )
            feed = make_feed(
                cast.network,
                url=server.url("/rss"),
                next_fetch_at=timezone.now() + timedelta(days=1),
            )
            with django_capture_on_commit_callbacks(execute=True):
                response = curator_client.post(
                    url("feed_fetch", cast, feed_id=feed.pk), follow=True
                )
        assert "will be fetched in a moment" in response.content.decode()
        feed.refresh_from_db()
        assert feed.last_status == "ok" and FeedItem.objects.filter(feed=feed).count() == 1

    def test_fetch_now_with_htmx_shows_progress_then_the_result(self, curator_client, cast):
        feed = make_feed(cast.network, next_fetch_at=timezone.now() + timedelta(days=1))
        response = curator_client.post(url("feed_fetch", cast, feed_id=feed.pk), **HTMX)
        fragment = response.content.decode()
        assert response.status_code == 200 and 'hx-trigger="every 2s"' in fragment
        assert "Fetching" in fragment
        feed.refresh_from_db()
        assert feed.next_fetch_at <= timezone.now()
        # The worker fetched it meanwhile: the next poll shows the result and stops polling.
        since = timezone.now() - timedelta(seconds=5)
        Feed.objects.filter(pk=feed.pk).update(
            last_fetched_at=timezone.now(),
            last_status="ok",
            next_fetch_at=timezone.now() + timedelta(hours=6),
        )
        polled = curator_client.get(
            url("feed_status", cast, feed_id=feed.pk), {"since": since.isoformat()}, **HTMX
        ).content.decode()
        assert "hx-trigger" not in polled and "Fetched" in polled

    def test_a_fetch_that_never_starts_says_the_worker_may_be_down(self, curator_client, cast):
        feed = make_feed(cast.network, next_fetch_at=timezone.now())
        since = timezone.now() - timedelta(minutes=5)
        polled = curator_client.get(
            url("feed_status", cast, feed_id=feed.pk), {"since": since.isoformat()}
        ).content.decode()
        assert "netweave worker" in polled and "hx-trigger" not in polled


class InboxPageTests:
    def test_an_empty_inbox_without_feeds_says_to_follow_one(self, curator_client, cast):
        page = curator_client.get(url("feed_inbox", cast)).content.decode()
        assert "No feeds yet" in page and url("feed_add", cast) in page

    def test_an_empty_inbox_with_feeds_says_nothing_waits(self, curator_client, cast):
        make_feed(cast.network)
        page = curator_client.get(url("feed_inbox", cast)).content.decode()
        assert "Nothing waits for you" in page

    def test_new_items_newest_first_filtered_by_feed(self, curator_client, cast):
        journal = make_feed(cast.network, title="Journal")
        alerts = make_feed(cast.network, title="Alerts")
        make_item(journal, 3)
        make_item(journal, 1)
        make_item(alerts, 2)
        make_item(journal, 5, status="dismissed")
        page = curator_client.get(url("feed_inbox", cast)).content.decode()
        assert page.index("Article 1") < page.index("Article 2") < page.index("Article 3")
        assert "Article 5" not in page
        only = curator_client.get(url("feed_inbox", cast), {"feed": alerts.pk}).content.decode()
        assert "Article 2" in only and "Article 1" not in only
        dismissed = curator_client.get(url("feed_inbox", cast), {"status": "dismissed"})
        assert "Article 5" in dismissed.content.decode()

    def test_the_inbox_is_paginated_with_bounded_queries(
        self, curator_client, cast, django_assert_max_num_queries
    ):
        feed = make_feed(cast.network)
        for n in range(60):
            make_item(feed, n)
        with django_assert_max_num_queries(14):
            page = curator_client.get(url("feed_inbox", cast)).content.decode()
        assert "Page 1 of 3" in page
        assert "Article 59" not in page
        assert (
            "Article 59"
            in curator_client.get(url("feed_inbox", cast), {"page": 3}).content.decode()
        )

    def test_accept_makes_a_resource_in_review_and_opens_its_edit_page(self, curator_client, cast):
        item = make_item(make_feed(cast.network, default_kind="report"), 1)
        response = curator_client.post(url("feed_item_accept", cast, feed_item_id=item.pk))
        resource = Resource.objects.get(network=cast.network)
        assert resource.status == "in_review" and resource.kind == "report"
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "library:resource_edit",
            kwargs={"network_slug": cast.network.slug, "resource_id": resource.pk},
        )
        item.refresh_from_db()
        assert item.status == "accepted" and item.decided_by == cast.steward

    def test_accept_with_htmx_redirects_the_page(self, curator_client, cast):
        item = make_item(make_feed(cast.network), 1)
        response = curator_client.post(url("feed_item_accept", cast, feed_item_id=item.pk), **HTMX)
        assert response.status_code == 204 and "/edit/" in response["HX-Redirect"]

    def test_accept_and_publish_replaces_the_item_in_place(self, curator_client, cast):
        item = make_item(make_feed(cast.network), 1)
        response = curator_client.post(
            url("feed_item_accept", cast, feed_item_id=item.pk), {"publish": "1"}, **HTMX
        )
        fragment = response.content.decode()
        assert response.status_code == 200 and f'id="item-{item.pk}"' in fragment
        assert "is published" in fragment
        assert Resource.objects.get().status == "published"

    def test_accepting_twice_is_explained(self, curator_client, cast):
        item = make_item(make_feed(cast.network), 1)
        curator_client.post(url("feed_item_accept", cast, feed_item_id=item.pk))
        response = curator_client.post(url("feed_item_accept", cast, feed_item_id=item.pk), **HTMX)
        assert response.status_code == 409 and "already accepted" in response.content.decode()
        assert Resource.objects.count() == 1

    def test_dismiss_without_javascript_comes_back_with_a_message(self, curator_client, cast):
        item = make_item(make_feed(cast.network), 1)
        back = url("feed_inbox", cast) + "?page=1"
        response = curator_client.post(
            url("feed_item_dismiss", cast, feed_item_id=item.pk), {"next": back}, follow=True
        )
        assert response.redirect_chain[-1][0] == back
        assert "Dismissed “Article 1”" in response.content.decode()
        item.refresh_from_db()
        assert item.status == "dismissed"

    def test_bulk_dismiss(self, curator_client, cast):
        feed = make_feed(cast.network)
        items = [make_item(feed, n) for n in range(3)]
        response = curator_client.post(
            url("feed_items_dismiss", cast), {"ids": [items[0].pk, items[2].pk]}, follow=True
        )
        assert "2 items dismissed." in response.content.decode()
        assert list(FeedItem.objects.filter(status="new")) == [items[1]]
        nothing = curator_client.post(url("feed_items_dismiss", cast), {}, follow=True)
        assert "Tick the items to dismiss first." in nothing.content.decode()

    def test_another_networks_item_is_not_found(self, curator_client, cast):
        theirs = make_item(make_feed(cast.other_network), 1)
        for name in ("feed_item_accept", "feed_item_dismiss"):
            assert curator_client.post(url(name, cast, feed_item_id=theirs.pk)).status_code == 404
        assert FeedItem.objects.get(pk=theirs.pk).status == "new"
