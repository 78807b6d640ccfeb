"""API v1 for feeds: following, reading, changing and removing feeds, "fetch now", the inbox,
accepting and dismissing items; curators only, one network's rows only."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, get_args

import pytest
from django.test import Client
from django.utils import timezone

from netweave.accounts.services import api_token_create
from netweave.library import feed_api
from netweave.library.models import Feed, FeedItem, Resource, Topic

pytestmark = pytest.mark.django_db

BASE = "/api/v1/networks/cast"


def call(cast, who: str, method: str, path: str, body: Any = None):  # type: ignore[no-untyped-def]
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    if method == "get":
        response = client.get(BASE + path, body or {})
    else:
        response = getattr(client, method)(
            BASE + path, json.dumps(body or {}), content_type="application/json"
        )
    data = json.loads(response.content) if response.content else None
    return response.status_code, data


def make_feed(network, **fields) -> Feed:  # type: ignore[no-untyped-def]
    fields.setdefault("url", f"https://journal.example.org/{Feed.objects.count()}/rss")
    return Feed.objects.create(network=network, **fields)


def make_item(feed: Feed, n: int, **fields) -> FeedItem:  # type: ignore[no-untyped-def]
    fields.setdefault("published_at", timezone.now() - timedelta(days=n))
    return FeedItem.objects.create(
        network=feed.network,
        feed=feed,
        guid=f"{feed.pk}-{n}",
        link=f"https://journal.example.org/{feed.pk}/a/{n}",
        title=f"Article {n}",
        **fields,
    )


class FeedsApiTests:
    def test_a_curator_follows_a_feed_and_reads_it_back(self, cast):
        Topic.objects.create(network=cast.network, name="Prevention", slug="prevention")
        status, body = call(
            cast,
            "steward",
            "post",
            "/feeds",
            {
                "url": "https://journal.example.org/rss",
                "interval_minutes": 120,
                "default_kind": "report",
                "default_topics": ["prevention"],
            },
        )
        assert status == 201, body
        assert body["url"] == "https://journal.example.org/rss" and body["interval_minutes"] == 120
        assert body["default_topics"] == ["prevention"] and body["last_status"] == "never"
        assert body["next_fetch_at"] is not None and body["items_waiting"] == 0
        status, read = call(cast, "coordinator", "get", f"/feeds/{body['id']}")
        assert status == 200 and read == body

    def test_members_and_outsiders_are_refused(self, cast):
        feed = make_feed(cast.network)
        assert call(cast, "member", "get", "/feeds")[0] == 403
        assert call(cast, "anonymous", "get", "/feeds")[0] == 401
        assert call(cast, "other_member", "get", f"/feeds/{feed.pk}")[0] == 403

    def test_bad_and_duplicate_addresses(self, cast):
        make_feed(cast.network, url="https://journal.example.org/rss")
        status, body = call(cast, "steward", "post", "/feeds", {"url": "journal"})
        assert status == 400 and body["error"].startswith("url:")
        status, body = call(cast, "steward", "post", "/feeds", {"url": "http://10.0.0.1/rss"})
        assert status == 400 and "private network" in body["error"]
        status, body = call(
            cast, "steward", "post", "/feeds", {"url": "https://journal.example.org/rss"}
        )
        assert status == 409 and "already follows" in body["error"]
        status, body = call(
            cast,
            "steward",
            "post",
            "/feeds",
            {"url": "https://a.example.org/", "default_topics": ["nope"]},
        )
        assert status == 400 and "nope" in body["error"]
        status, body = call(
            cast,
            "steward",
            "post",
            "/feeds",
            {"url": "https://a.example.org/", "interval_minutes": 1},
        )
        assert status == 400

    def test_the_list_has_counts_and_bounded_queries(self, cast, django_assert_max_num_queries):
        for n in range(20):
            feed = make_feed(cast.network, title=f"Journal {n:02d}")
            make_item(feed, 1)
            make_item(feed, 2, status="dismissed")
        make_feed(cast.other_network)
        client = Client()
        client.force_login(cast.coordinator.user)
        with django_assert_max_num_queries(12):
            response = client.get(BASE + "/feeds", {"page_size": 50})
        body = response.json()
        assert body["count"] == 20 and body["items"][0]["title"] == "Journal 00"
        assert body["items"][0]["items_waiting"] == 1 and body["items"][0]["items_dismissed"] == 1

    def test_update_pauses_and_delete_removes(self, cast):
        feed = make_feed(cast.network, next_fetch_at=timezone.now())
        status, body = call(cast, "steward", "patch", f"/feeds/{feed.pk}", {"active": False})
        assert status == 200 and body["active"] is False and body["next_fetch_at"] is None
        status, body = call(cast, "steward", "patch", f"/feeds/{feed.pk}", {"title": None})
        assert status == 400
        assert call(cast, "steward", "delete", f"/feeds/{feed.pk}")[0] == 204
        assert not Feed.objects.filter(pk=feed.pk).exists()

    def test_fetch_now_makes_the_feed_due(self, cast):
        feed = make_feed(cast.network, next_fetch_at=timezone.now() + timedelta(days=1))
        status, _body = call(cast, "steward", "post", f"/feeds/{feed.pk}/fetch")
        assert status == 202
        feed.refresh_from_db()
        assert feed.next_fetch_at <= timezone.now()

    def test_another_networks_feed_is_not_found(self, cast):
        theirs = make_feed(cast.other_network)
        assert call(cast, "coordinator", "get", f"/feeds/{theirs.pk}")[0] == 404
        assert call(cast, "coordinator", "delete", f"/feeds/{theirs.pk}")[0] == 404
        assert Feed.objects.filter(pk=theirs.pk).exists()

    def test_the_literal_choices_match_the_models(self):
        assert set(get_args(feed_api.KindName)) == set(Resource.Kind.values)
        assert set(get_args(feed_api.FetchStatusName)) == set(Feed.FetchStatus.values)
        assert set(get_args(feed_api.ItemStatusName)) == set(FeedItem.Status.values)


class FeedItemsApiTests:
    def test_the_inbox_lists_new_items_newest_first_and_filters(self, cast):
        journal = make_feed(cast.network)
        alerts = make_feed(cast.network)
        make_item(journal, 3)
        make_item(journal, 1)
        make_item(alerts, 2)
        make_item(journal, 4, status="dismissed")
        status, body = call(cast, "steward", "get", "/feeds/items")
        assert status == 200
        assert [i["title"] for i in body["items"]] == ["Article 1", "Article 2", "Article 3"]
        status, body = call(cast, "steward", "get", "/feeds/items", {"feed_id": alerts.pk})
        assert [i["title"] for i in body["items"]] == ["Article 2"]
        status, body = call(cast, "steward", "get", "/feeds/items", {"status": "dismissed"})
        assert [i["title"] for i in body["items"]] == ["Article 4"]
        assert call(cast, "steward", "get", "/feeds/items", {"status": "bogus"})[0] == 400

    def test_accepting_creates_a_resource_in_review_or_published(self, cast):
        feed = make_feed(cast.network, default_kind="tool")
        first, second = make_item(feed, 1), make_item(feed, 2)
        status, body = call(cast, "steward", "post", f"/feeds/items/{first.pk}/accept")
        assert status == 201, body
        assert body["resource_status"] == "in_review" and body["item"]["status"] == "accepted"
        assert body["edit_url"].endswith(f"/library/{body['resource_id']}/edit/")
        assert Resource.objects.get(pk=body["resource_id"]).kind == "tool"
        status, body = call(
            cast,
            "coordinator",
            "post",
            f"/feeds/items/{second.pk}/accept",
            {"publish": True, "title": "Renamed", "kind": "report"},
        )
        resource = Resource.objects.get(pk=body["resource_id"])
        assert (resource.status, resource.title, resource.kind) == (
            "published",
            "Renamed",
            "report",
        )
        status, body = call(cast, "steward", "post", f"/feeds/items/{first.pk}/accept")
        assert status == 409 and "already accepted" in body["error"]

    def test_accepting_checks_the_language_and_topics_like_a_resource(self, cast):
        item = make_item(make_feed(cast.network), 1)
        path = f"/feeds/items/{item.pk}/accept"
        status, body = call(cast, "steward", "post", path, {"language": "zz"})
        assert status == 400 and "Unknown language code “zz”" in body["error"], body
        status, body = call(cast, "steward", "post", path, {"topics": ["nowhere"]})
        assert status == 400 and "nowhere" in body["error"], body
        status, body = call(cast, "steward", "post", path, {"language": "FR"})
        assert status == 201, body
        assert Resource.objects.get(pk=body["resource_id"]).language == "fr"

    def test_dismissing_in_bulk(self, cast):
        feed = make_feed(cast.network)
        items = [make_item(feed, n) for n in range(3)]
        theirs = make_item(make_feed(cast.other_network), 9)
        status, body = call(
            cast,
            "steward",
            "post",
            "/feeds/items/dismiss",
            {"ids": [items[0].pk, items[1].pk, theirs.pk]},
        )
        assert status == 200 and body == {"dismissed": 2}
        assert FeedItem.objects.get(pk=theirs.pk).status == "new"
        assert call(cast, "steward", "post", "/feeds/items/dismiss", {"ids": "x"})[0] == 400

    def test_a_personal_token_works_like_a_session(self, cast):
        make_item(make_feed(cast.network), 1)
        _token, raw = api_token_create(user=cast.steward.user, name="script")
        response = Client().get(BASE + "/feeds/items", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200 and response.json()["count"] == 1
