"""Feeds in a real browser: "fetch now" shows its result in place (the feed is served by a
loopback HTTP server; the test settings run tasks at once), items are dismissed and published in
place with htmx, the pages pass the basic accessibility check and fit a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.lib.tests.loopback_http import Reply, loopback_server
from netweave.library.models import Feed, FeedItem, Resource
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.screens import screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
RSS = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>Loopback Journal</title>"
    b"<item><guid>1</guid><title>Weaving for equity</title>"
    b"<link>https://journal.example.org/a/1</link></item></channel></rss>"
)


def _items(cast, feed: Feed, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        FeedItem.objects.create(
            network=cast.network,
            feed=feed,
            guid=str(n),
            link=f"https://journal.example.org/a/{n}",
            title=f"Article {n}",
            summary="About it.",
            published_at=timezone.now() - timedelta(days=n),
        )


class FeedsInTheBrowserTests:
    def test_fetch_now_shows_the_result_in_place(self, new_page, sign_in, settings):
        settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = True
        cast = make_cast()
        with loopback_server() as server:
            server.routes["/rss"] = Reply(body=RSS)
            feed = Feed.objects.create(
                network=cast.network,
                url=server.url("/rss"),
                next_fetch_at=timezone.now() + timedelta(days=1),
            )
            page = new_page()
            sign_in(page, cast.steward.user)
            page.goto("/n/cast/library/feeds/")
            assert_accessible(page)
            expect(page.get_by_text("Not fetched yet")).to_be_visible()
            page.get_by_role("button", name=f"Fetch now {feed.url}").click()
            status = page.locator(f"#feed-status-{feed.pk}")
            expect(status.get_by_text("Fetched", exact=True)).to_be_visible()
            assert page.url.endswith("/library/feeds/")
        assert FeedItem.objects.filter(feed=feed).count() == 1

    def test_items_are_dismissed_and_published_in_place(self, new_page, sign_in):
        cast = make_cast()
        feed = Feed.objects.create(network=cast.network, url="https://journal.example.org/rss")
        _items(cast, feed, 3)
        page = new_page()
        sign_in(page, cast.coordinator.user)
        page.goto("/n/cast/library/inbox/")
        assert_accessible(page)
        page.get_by_role("button", name="Dismiss Article 0").click()
        expect(page.get_by_role("status").filter(has_text="Dismissed “Article 0”")).to_be_visible()
        page.get_by_role("button", name="Accept and publish Article 1").click()
        expect(page.get_by_role("status").filter(has_text="is published")).to_be_visible()
        assert Resource.objects.get().status == "published"
        assert FeedItem.objects.get(guid="0").status == "dismissed"

    def test_accept_opens_the_resources_edit_page(self, new_page, sign_in):
        cast = make_cast()
        feed = Feed.objects.create(network=cast.network, url="https://journal.example.org/rss")
        _items(cast, feed, 1)
        page = new_page()
        sign_in(page, cast.steward.user)
        page.goto("/n/cast/library/inbox/")
        page.get_by_role("button", name="Accept Article 0", exact=True).click()
        page.wait_for_url(re.compile(r"/library/\d+/edit/$"))
        resource = Resource.objects.get()
        assert page.url.endswith(f"/library/{resource.pk}/edit/")
        assert resource.status == "in_review"

    def test_the_pages_fit_a_phone(self, new_page, sign_in):
        cast = make_cast()
        feed = Feed.objects.create(
            network=cast.network,
            url="https://a-very-long-host-name-for-a-journal.example.org/feeds/all-articles.xml",
            last_status="error",
            last_error="The feed's server had an error (HTTP 503).",
            failures=2,
        )
        _items(cast, feed, 2)
        phone = new_page(**PHONE)
        sign_in(phone, cast.steward.user)
        for path, name in (("feeds/", "feeds-phone"), ("inbox/", "feed-inbox-phone")):
            phone.goto(f"/n/cast/library/{path}")
            assert_accessible(phone)
            phone.screenshot(path=screenshot_path(name), full_page=True)
            overflow = phone.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, path
