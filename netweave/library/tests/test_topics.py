"""The topic tree: adding, renaming and moving topics without cycles, refusing to delete a topic
that still holds something, and the topic pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from netweave.lib.testing import Cast
from netweave.library.models import Topic
from netweave.library.selectors import topic_tree
from netweave.library.services import (
    TopicError,
    topic_create,
    topic_delete,
    topic_move,
    topic_update,
)
from netweave.library.tests.test_resources_support import make_resource
from netweave.networks.permissions import access_for

pytestmark = pytest.mark.django_db


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


class TopicServiceTests:
    def test_a_topic_gets_a_short_name_from_its_name_unique_in_the_network(
        self, cast: Cast
    ) -> None:
        first = topic_create(network=cast.network, name="Théorie du changement")
        second = topic_create(network=cast.network, name="Theorie du changement")
        elsewhere = topic_create(network=cast.other_network, name="Théorie du changement")
        assert (first.slug, second.slug, elsewhere.slug) == (
            "theorie-du-changement",
            "theorie-du-changement-2",
            "theorie-du-changement",
        )

    def test_a_short_name_in_use_is_refused(self, cast: Cast) -> None:
        topic_create(network=cast.network, name="Health", slug="health")
        with pytest.raises(TopicError, match="already uses the short name “health”"):
            topic_create(network=cast.network, name="Health again", slug="health")
        other = topic_create(network=cast.network, name="Finance")
        with pytest.raises(TopicError, match="already uses"):
            topic_update(topic=other, slug="health")

    def test_a_topic_cannot_move_inside_itself_or_its_descendants(self, cast: Cast) -> None:
        root = topic_create(network=cast.network, name="Root")
        child = topic_create(network=cast.network, name="Child", parent=root)
        grandchild = topic_create(network=cast.network, name="Grandchild", parent=child)
        with pytest.raises(TopicError, match="inside it already"):
            topic_move(topic=root, parent=grandchild)
        with pytest.raises(TopicError, match="inside it already"):
            topic_move(topic=root, parent=root)
        root.refresh_from_db()
        assert root.parent is None
        topic_move(topic=grandchild, parent=None)
        grandchild.refresh_from_db()
        assert grandchild.parent is None

    def test_a_parent_of_another_network_is_refused(self, cast: Cast) -> None:
        theirs = topic_create(network=cast.other_network, name="Theirs")
        with pytest.raises(TopicError, match="not a topic of this network"):
            topic_create(network=cast.network, name="Ours", parent=theirs)

    def test_a_topic_with_resources_or_sub_topics_is_not_deleted(self, cast: Cast) -> None:
        parent = topic_create(network=cast.network, name="Parent")
        child = topic_create(network=cast.network, name="Child", parent=parent)
        make_resource(cast.network, cast.member, topics=[child])
        with pytest.raises(TopicError, match="has 1 sub-topic"):
            topic_delete(topic=parent)
        with pytest.raises(TopicError, match="is the topic of 1 resource"):
            topic_delete(topic=child)
        empty = topic_create(network=cast.network, name="Empty")
        topic_delete(topic=empty)
        assert not Topic.objects.filter(pk=empty.pk).exists()

    def test_the_tree_comes_in_reading_order_with_visible_counts(self, cast: Cast) -> None:
        health = topic_create(network=cast.network, name="Health", position=1)
        hiv = topic_create(network=cast.network, name="HIV", parent=health)
        finance = topic_create(network=cast.network, name="Finance", position=2)
        make_resource(cast.network, cast.member, topics=[hiv])
        make_resource(cast.network, cast.member, topics=[health, hiv])
        make_resource(cast.network, cast.member, topics=[hiv], visibility="network")
        nodes = topic_tree(access=access_for(None, cast.network))
        assert [(n.topic.name, n.depth, n.count) for n in nodes] == [
            ("Health", 0, 2),
            ("HIV", 1, 2),
            ("Finance", 0, 0),
        ]
        assert finance.pk
        member_counts = [
            n.count for n in topic_tree(access=access_for(cast.member.user, cast.network))
        ]
        assert member_counts == [3, 3, 0]


class TopicPageTests:
    def test_a_topic_page_lists_its_resources_newest_first_in_few_queries(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        health = topic_create(network=cast.network, name="Health")
        topic_create(network=cast.network, name="HIV", parent=health)
        for n in range(15):
            make_resource(cast.network, cast.member, title=f"Health paper {n}", topics=[health])
        make_resource(
            cast.network, cast.member, title="Members only", topics=[health], visibility="network"
        )
        client = Client()
        url = reverse("library:topic", args=["cast", "health"])
        client.get(url)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.index("Health paper 14") < html.index("Health paper 0")
        assert "Members only" not in html
        assert "HIV" in html  # its sub-topic
        assert "<h1>Health</h1>" in html

    def test_a_topic_of_another_network_is_not_found_here(self, cast: Cast) -> None:
        topic_create(network=cast.other_network, name="Only there")
        response = client_for(cast, "coordinator").get(
            reverse("library:topic", args=["cast", "only-there"])
        )
        assert response.status_code == 404

    def test_curators_add_a_topic_from_the_tree_page(self, cast: Cast) -> None:
        steward = client_for(cast, "steward")
        response = steward.post(
            reverse("library:topics", args=["cast"]), {"name": "Monitoring", "position": 3}
        )
        assert response.status_code == 302
        assert Topic.objects.get(network=cast.network).slug == "monitoring"
        member = client_for(cast, "member")
        assert (
            member.post(reverse("library:topics", args=["cast"]), {"name": "X"}).status_code == 403
        )
        assert (
            "Add a topic"
            not in member.get(reverse("library:topics", args=["cast"])).content.decode()
        )

    def test_moving_a_topic_into_its_child_says_why_not(self, cast: Cast) -> None:
        root = topic_create(network=cast.network, name="Root")
        child = topic_create(network=cast.network, name="Child", parent=root)
        response = client_for(cast, "coordinator").post(
            reverse("library:topic_edit", args=["cast", "root"]),
            {"name": "Root", "slug": "root", "parent": child.pk},
        )
        assert response.status_code == 400
        assert "inside it already" in response.content.decode()
        root.refresh_from_db()
        assert root.parent is None

    def test_deleting_a_topic_in_use_comes_back_with_the_reason(self, cast: Cast) -> None:
        topic = topic_create(network=cast.network, name="Busy")
        make_resource(cast.network, cast.member, topics=[topic])
        response = client_for(cast, "coordinator").post(
            reverse("library:topic_delete", args=["cast", "busy"]), follow=True
        )
        assert "give it another topic first" in response.content.decode()
        assert Topic.objects.filter(pk=topic.pk).exists()

    def test_the_empty_tree_says_what_to_do(self, cast: Cast) -> None:
        html = Client().get(reverse("library:topics", args=["cast"])).content.decode()
        assert "The library has no topics yet." in html
