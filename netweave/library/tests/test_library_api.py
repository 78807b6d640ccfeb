"""The resource center's API: search with facets, submitting, editing, curation, revisions,
uploads and topics, each answering what the caller may see and do."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from netweave.lib.testing import Cast
from netweave.library.models import Resource, Topic
from netweave.library.services import topic_create
from netweave.library.tests.test_resources_support import PDF, make_resource

pytestmark = pytest.mark.django_db

BASE = "/api/v1/networks/cast"


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(
        method, BASE + path, json.dumps(body or {}), content_type="application/json"
    )


class ResourceListTests:
    def test_each_caller_finds_what_they_may_see(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Public guide")
        make_resource(cast.network, cast.member, title="Network guide", visibility="network")
        make_resource(cast.network, cast.member, title="Curators guide", visibility="coordinators")
        make_resource(cast.network, cast.member, title="Submitted guide", status=None)
        expected = {
            "anonymous": {"Public guide"},
            "outsider": {"Public guide"},
            "other_member": {"Public guide"},
            "observer": {"Public guide", "Network guide"},
            "member": {"Public guide", "Network guide"},
            "steward": {"Public guide", "Network guide", "Curators guide"},
            "coordinator": {"Public guide", "Network guide", "Curators guide"},
        }
        for role, titles in expected.items():
            body = client_for(cast, role).get(BASE + "/resources").json()
            assert {item["resource"]["title"] for item in body["items"]} == titles, role
            assert body["count"] == len(titles)

    def test_words_and_facets_narrow_the_search(self, cast: Cast) -> None:
        health = topic_create(network=cast.network, name="Health")
        make_resource(
            cast.network, cast.member, title="Malaria toolkit", kind="tool", topics=[health]
        )
        make_resource(cast.network, cast.member, title="Malaria report", kind="report")
        make_resource(cast.network, cast.member, title="Budget report", kind="report")
        client = Client()
        body = client.get(BASE + "/resources", {"q": "malaria"}).json()
        assert {i["resource"]["title"] for i in body["items"]} == {
            "Malaria toolkit",
            "Malaria report",
        }
        kinds = {f["value"]: f["count"] for f in body["facets"]["kind"]}
        assert kinds == {"tool": 1, "report": 1}
        body = client.get(BASE + "/resources", {"q": "malaria", "kind": ["report"]}).json()
        assert [i["resource"]["title"] for i in body["items"]] == ["Malaria report"]
        body = client.get(BASE + "/resources", {"topic": "health"}).json()
        assert [i["resource"]["title"] for i in body["items"]] == ["Malaria toolkit"]

    def test_only_curators_search_unpublished_resources(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Waiting", status=None)
        assert (
            client_for(cast, "member").get(BASE + "/resources", {"status": "submitted"}).status_code
            == 403
        )
        body = client_for(cast, "steward").get(BASE + "/resources", {"status": "submitted"}).json()
        assert [i["resource"]["title"] for i in body["items"]] == ["Waiting"]

    def test_an_unknown_kind_is_a_400_that_names_the_parameter(self, cast: Cast) -> None:
        response = Client().get(BASE + "/resources", {"kind": "poem"})
        assert response.status_code == 400
        assert "kind" in response.json()["detail"][0]["field"]


class ResourceWriteTests:
    def test_a_member_submits_and_it_waits_for_review(self, cast: Cast) -> None:
        topic_create(network=cast.network, name="Health")
        response = send(
            client_for(cast, "member"),
            "POST",
            "/resources",
            {
                "title": "Clinic survey",
                "kind": "dataset",
                "url": "https://example.org/survey",
                "topics": ["health"],
                "phases": ["expanding"],
                "language": "FR",
                "author_people": [cast.member.pk],
                "visibility": "public",
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "submitted"
        assert body["language"] == "fr"
        assert [t["slug"] for t in body["topics"]] == ["health"]
        assert body["review_by"] is None and body["link_status"] is None  # not a curator
        assert body["submitted_by"] == {"id": cast.member.pk, "name": "Mina Member"}
        assert Client().get(f"{BASE}/resources/{body['id']}").status_code == 404

    def test_a_member_cannot_publish_directly(self, cast: Cast) -> None:
        response = send(
            client_for(cast, "member"),
            "POST",
            "/resources",
            {
                "title": "Mine",
                "kind": "article",
                "url": "https://example.org",
                "status": "published",
            },
        )
        assert response.status_code == 403
        assert not Resource.objects.exists()

    def test_a_curator_publishes_directly(self, cast: Cast) -> None:
        response = send(
            client_for(cast, "steward"),
            "POST",
            "/resources",
            {
                "title": "Out now",
                "kind": "article",
                "url": "https://example.org",
                "status": "published",
            },
        )
        body = response.json()
        assert body["status"] == "published" and body["review_by"] is not None

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": "x", "kind": "article", "url": "ftp://example.org"}, "url"),
            ({"title": "x", "kind": "article", "topics": ["nowhere"]}, "topics"),
            ({"title": "x", "kind": "article", "phases": ["dancing"]}, "phases"),
            ({"title": "x", "kind": "article", "language": "klingon"}, "language"),
            ({"title": "x", "kind": "article", "author_people": [999999]}, "author_people"),
            ({"title": "x", "kind": "article", "translation_of": 999999}, "translation_of"),
            ({"title": "x", "kind": "article", "colour": "red"}, "colour"),
        ],
    )
    def test_bad_input_is_a_400_naming_what_to_fix(
        self, cast: Cast, body: dict[str, Any], field: str
    ) -> None:
        response = send(client_for(cast, "member"), "POST", "/resources", body)
        assert response.status_code == 400
        assert field in response.json()["error"]

    def test_the_submitter_edits_until_publication(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None)
        member = client_for(cast, "member")
        response = send(
            member, "PATCH", f"/resources/{resource.pk}", {"title": "Better", "note": "fix"}
        )
        assert response.status_code == 200 and response.json()["title"] == "Better"
        assert (
            send(
                member, "PATCH", f"/resources/{resource.pk}", {"review_by": "2031-01-01"}
            ).status_code
            == 403
        )
        send(
            client_for(cast, "steward"),
            "POST",
            f"/resources/{resource.pk}/status",
            {"status": "published"},
        )
        assert (
            send(member, "PATCH", f"/resources/{resource.pk}", {"title": "Again"}).status_code
            == 403
        )

    def test_clearing_a_date_with_null(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, publication_date=date(2020, 1, 1))
        steward = client_for(cast, "steward")
        body = send(
            steward, "PATCH", f"/resources/{resource.pk}", {"publication_date": None}
        ).json()
        assert body["publication_date"] is None
        assert resource.published_at is not None
        assert body["year"] == resource.published_at.year  # the year it was published here
        assert (
            send(steward, "PATCH", f"/resources/{resource.pk}", {"title": None}).status_code == 400
        )

    def test_status_changes_follow_the_life_cycle(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None)
        steward = client_for(cast, "steward")
        path = f"/resources/{resource.pk}/status"
        assert send(steward, "POST", path, {"status": "in_review"}).json()["status"] == "in_review"
        assert send(steward, "POST", path, {"status": "published"}).json()["status"] == "published"
        response = send(steward, "POST", path, {"status": "submitted"})
        assert response.status_code == 409
        assert "cannot become submitted" in response.json()["error"]
        assert (
            send(client_for(cast, "member"), "POST", path, {"status": "archived"}).status_code
            == 403
        )

    def test_the_revisions_name_what_changed(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member)
        steward = client_for(cast, "steward")
        send(steward, "PATCH", f"/resources/{resource.pk}", {"summary": "New", "kind": "tool"})
        body = steward.get(f"{BASE}/resources/{resource.pk}/revisions").json()
        assert [r["number"] for r in body["items"]] == [2, 1]
        assert sorted(body["items"][0]["changed"]) == ["kind", "summary"]
        assert body["items"][0]["editor"]["name"] == "Stella Steward"
        assert body["items"][0]["data"]["kind"] == "tool"

    def test_uploading_a_file(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None, url="")
        member = client_for(cast, "member")
        upload = SimpleUploadedFile("notes.pdf", PDF)
        response = member.post(f"{BASE}/resources/{resource.pk}/file", {"file": upload})
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["file_name"], body["file_type"], body["file_size"]) == (
            "notes.pdf",
            "application/pdf",
            len(PDF),
        )
        download = member.get(body["file_url"])
        assert download.status_code == 200 and download.getvalue() == PDF

    def test_another_networks_resource_is_not_found_here(self, cast: Cast) -> None:
        theirs = make_resource(cast.other_network, cast.other_member)
        coordinator = client_for(cast, "coordinator")
        assert coordinator.get(f"{BASE}/resources/{theirs.pk}").status_code == 404
        assert (
            send(coordinator, "PATCH", f"/resources/{theirs.pk}", {"title": "x"}).status_code == 404
        )
        assert coordinator.get(f"{BASE}/resources/{theirs.pk}/revisions").status_code == 404


class TopicApiTests:
    def test_curators_manage_the_tree(self, cast: Cast) -> None:
        steward = client_for(cast, "steward")
        health = send(steward, "POST", "/topics", {"name": "Health"}).json()
        hiv = send(steward, "POST", "/topics", {"name": "HIV", "parent_id": health["id"]})
        assert hiv.status_code == 201 and hiv.json()["depth"] == 1
        moved = send(steward, "PATCH", f"/topics/{health['id']}", {"parent_id": hiv.json()["id"]})
        assert moved.status_code == 409 and "inside it already" in moved.json()["error"]
        renamed = send(steward, "PATCH", f"/topics/{health['id']}", {"name": "Public health"})
        assert renamed.json()["name"] == "Public health"
        clash = send(steward, "POST", "/topics", {"name": "Again", "slug": "health"})
        assert clash.status_code == 409
        tree = Client().get(BASE + "/topics").json()
        assert [(t["name"], t["depth"]) for t in tree] == [("Public health", 0), ("HIV", 1)]
        assert send(steward, "DELETE", f"/topics/{health['id']}").status_code == 409
        assert send(steward, "DELETE", f"/topics/{hiv.json()['id']}").status_code == 204
        assert Topic.objects.count() == 1

    def test_members_cannot_change_topics(self, cast: Cast) -> None:
        assert send(client_for(cast, "member"), "POST", "/topics", {"name": "X"}).status_code == 403
        assert send(Client(), "POST", "/topics", {"name": "X"}).status_code == 401
