"""Atom feeds of newly published resources, per network and per topic: valid XML with the
public published resources only (a feed reader is anonymous)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from netweave.lib.testing import Cast, make_cast
from netweave.library.services import resource_set_status, topic_create
from netweave.library.tests.test_resources_support import make_resource, pdf

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ET.Element]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [entry.findtext(f"{ATOM}title") or "" for entry in entries(response)]


class NetworkFeedTests:
    def test_the_feed_holds_public_published_resources_newest_first(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Older public")
        make_resource(cast.network, cast.member, title="Newer public", summary="**Bold** move")
        make_resource(cast.network, cast.member, title="Network only", visibility="network")
        make_resource(cast.network, cast.member, title="Curators only", visibility="coordinators")
        make_resource(cast.network, cast.member, title="Not yet", status=None)
        archived = make_resource(cast.network, cast.member, title="Archived one")
        resource_set_status(resource=archived, by=cast.steward, status="archived")
        make_resource(cast.other_network, cast.other_member, title="Other network's")
        # Whoever asks, the feed is the anonymous one.
        for role in ("anonymous", "coordinator"):
            client = Client()
            user = cast.user(role)
            if user is not None:
                client.force_login(user)
            response = client.get(reverse("library:atom", args=["cast"]))
            assert titles(response) == ["Newer public", "Older public"], role

    def test_an_entry_links_to_the_resource_and_carries_its_summary_and_file(
        self, cast: Cast
    ) -> None:
        topic = topic_create(network=cast.network, name="Evaluation")
        resource = make_resource(
            cast.network,
            cast.member,
            title="Evaluation guide",
            summary="A **guide** <script>alert(1)</script>",
            topics=[topic],
            author_people=[cast.member],
            file=pdf("guide.pdf"),
        )
        (entry,) = entries(Client().get(reverse("library:atom", args=["cast"])))
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        assert link.get("href") == "http://testserver" + reverse(
            "library:resource", args=["cast", resource.pk]
        )
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert "<strong>guide</strong>" in summary and "<script>" not in summary
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Mina Member"
        assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Evaluation"]
        enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
        assert enclosure is not None and enclosure.get("type") == "application/pdf"
        assert enclosure.get("href", "").endswith(
            reverse("library:resource_file", args=["cast", resource.pk])
        )

    def test_an_empty_feed_is_still_a_valid_feed(self, cast: Cast) -> None:
        assert entries(Client().get(reverse("library:atom", args=["cast"]))) == []

    def test_a_private_networks_feed_does_not_exist_for_outsiders(self, db) -> None:
        cast = make_cast(visibility="private")
        make_resource(cast.network, cast.member, title="Public in a private network")
        assert Client().get(reverse("library:atom", args=["cast"])).status_code == 404
        member = Client()
        member.force_login(cast.member.user)  # type: ignore[arg-type]
        assert entries(member.get(reverse("library:atom", args=["cast"]))) == []


class TopicFeedTests:
    def test_a_topic_feed_holds_its_resources_and_those_of_its_sub_topics(self, cast: Cast) -> None:
        health = topic_create(network=cast.network, name="Health")
        hiv = topic_create(network=cast.network, name="HIV", parent=health)
        other = topic_create(network=cast.network, name="Finance")
        make_resource(cast.network, cast.member, title="On health", topics=[health])
        make_resource(cast.network, cast.member, title="On HIV", topics=[hiv])
        make_resource(cast.network, cast.member, title="On finance", topics=[other])
        make_resource(
            cast.network, cast.member, title="Hidden HIV", topics=[hiv], visibility="network"
        )
        response = Client().get(reverse("library:topic_atom", args=["cast", "health"]))
        assert titles(response) == ["On HIV", "On health"]
        root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
        assert "Health" in (root.findtext(f"{ATOM}title") or "")

    def test_an_unknown_topic_has_no_feed(self, cast: Cast) -> None:
        response = Client().get(reverse("library:topic_atom", args=["cast", "nothing"]))
        assert response.status_code == 404
