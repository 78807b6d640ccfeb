"""Lists of the resource center cost a fixed number of queries, however many rows they show: the
API lists and the pages that list resources, revisions, topics, feeds and inbox items."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netweave.lib.testing import Cast, make_organization
from netweave.library.models import Feed, FeedItem, Resource
from netweave.library.services import resource_update, topic_create
from netweave.library.tests.test_resources_support import make_resource

pytestmark = pytest.mark.django_db

API = "/api/v1/networks/cast"


def fill(cast: Cast, count: int, start: int) -> None:
    """`count` resources (half published, half waiting) with topics, authors, an organization
    and two revisions each, and a feed with `count` inbox items."""
    topics = [topic_create(network=cast.network, name=f"Topic {start} {n}") for n in range(3)]
    organization = make_organization()
    for n in range(start, start + count):
        resource = make_resource(
            cast.network,
            cast.member,
            title=f"Resource {n}",
            url=f"https://example.org/{n}",
            topics=topics,
            author_people=[cast.member, cast.steward],
            author_organizations=[organization],
            status=None if n % 2 else Resource.Status.PUBLISHED,
        )
        resource_update(resource=resource, by=cast.coordinator, summary=f"Changed {n}")
    feed = Feed.objects.create(network=cast.network, url=f"https://example.org/feed{start}")
    for n in range(start, start + count):
        FeedItem.objects.create(
            network=cast.network, feed=feed, guid=f"g{n}", link=f"https://example.org/item/{n}"
        )


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


LISTS = [
    f"{API}/resources",
    f"{API}/resources?status=submitted",
    f"{API}/resources/{{first}}/revisions",
    f"{API}/topics",
    f"{API}/feeds",
    f"{API}/feeds/items",
    "library:browse",
    "library:review",
    "library:attention",
    "library:mine",
    "library:new",
    "library:topics",
    "library:feeds",
    "library:feed_inbox",
    "library:atom",
    "library:resource_history",
]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_no_more_queries_with_many_rows_than_with_few(
    cast: Cast, name: str, django_assert_max_num_queries: Any
) -> None:
    fill(cast, 3, start=0)
    first = Resource.objects.order_by("pk").values_list("pk", flat=True)[0]
    if name.startswith("/"):
        url = name.format(first=first)
    elif name == "library:resource_history":
        url = reverse(name, args=["cast", first])
    else:
        url = reverse(name, args=["cast"])
    client = Client()
    user = cast.user("coordinator")
    assert user is not None
    client.force_login(user)
    few = queries(client, url)
    fill(cast, 12, start=100)
    for _ in range(6):  # a longer history too
        resource_update(
            resource=Resource.objects.get(pk=first), by=cast.coordinator, summary=f"Again {_}"
        )
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
