"""The resource center's pages: browse and search with facets, a resource's page for each person
of the cast, "new this month", one's own submissions, and the latest resources on the home page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from netweave.lib.testing import Cast
from netweave.library.models import Resource
from netweave.library.services import topic_create
from netweave.library.tests.test_resources_support import make_resource
from netweave.networks.permissions import access_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "other_member", "observer", "member", "steward", "coordinator"]


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


class BrowseTests:
    def test_anonymous_visitors_browse_the_public_resources(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Public toolkit")
        make_resource(cast.network, cast.member, title="Members toolkit", visibility="network")
        make_resource(cast.network, cast.member, title="Waiting toolkit", status=None)
        html = Client().get(reverse("library:browse", args=["cast"])).content.decode()
        assert "Public toolkit" in html
        assert "Members toolkit" not in html and "Waiting toolkit" not in html
        html = (
            client_for(cast, "observer")
            .get(reverse("library:browse", args=["cast"]))
            .content.decode()
        )
        assert "Members toolkit" in html and "Waiting toolkit" not in html

    def test_words_and_facets_narrow_the_results(self, cast: Cast) -> None:
        health = topic_create(network=cast.network, name="Health")
        make_resource(
            cast.network,
            cast.member,
            title="Malaria toolkit",
            kind="tool",
            topics=[health],
            summary="Tools against malaria in clinics.",
        )
        make_resource(cast.network, cast.member, title="Malaria report", kind="report")
        make_resource(cast.network, cast.member, title="Budget guide", kind="guidance")
        client = Client()
        url = reverse("library:browse", args=["cast"])
        html = client.get(url, {"q": "malaria"}).content.decode()
        assert "Malaria toolkit" in html and "Malaria report" in html and "Budget guide" not in html
        assert "Tools against <mark>malaria</mark> in clinics." in html
        html = client.get(url, {"q": "malaria", "kind": "tool"}).content.decode()
        assert "Malaria toolkit" in html and "Malaria report" not in html
        assert 'name="kind" value="tool" checked' in html
        assert "Remove filter: Tool" in html
        html = client.get(url, {"topic": "health"}).content.decode()
        assert "Malaria toolkit" in html and "Budget guide" not in html

    def test_unknown_filters_are_left_out_and_said_so(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Still listed")
        response = Client().get(
            reverse("library:browse", args=["cast"]), {"topic": "gone", "year": "x"}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "were left out:" in html and "topic=gone" in html and "year=x" in html
        assert "Still listed" in html

    def test_empty_library_and_empty_search_say_what_to_do(self, cast: Cast) -> None:
        url = reverse("library:browse", args=["cast"])
        assert "Submit the first one" in client_for(cast, "member").get(url).content.decode()
        assert (
            "No resource matches this search." in Client().get(url, {"q": "zzz"}).content.decode()
        )

    def test_the_browse_page_needs_few_queries_however_many_results(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        topics = [topic_create(network=cast.network, name=f"Topic {n}") for n in range(3)]
        for n in range(25):
            make_resource(
                cast.network,
                cast.member,
                title=f"Resource {n}",
                topics=topics,
                phases=["launching"],
            )
        client = client_for(cast, "coordinator")
        url = reverse("library:browse", args=["cast"])
        client.get(url)
        with django_assert_max_num_queries(22):
            response = client.get(url, {"q": "resource", "page": "2"})
        assert response.status_code == 200
        assert response.content.decode().count('class="card resource-card"') == 5

    def test_a_private_network_has_no_library_for_outsiders(self, private_cast: Cast) -> None:
        assert Client().get(reverse("library:browse", args=["cast"])).status_code == 404


class ResourcePageTests:
    @pytest.mark.parametrize(
        ("visibility", "status", "allowed"),
        [
            ("public", "published", set(ROLES)),
            ("network", "published", {"observer", "member", "steward", "coordinator"}),
            ("coordinators", "published", {"steward", "coordinator"}),
            ("public", None, {"member", "steward", "coordinator"}),  # submitted by the member
            ("public", "in_review", {"member", "steward", "coordinator"}),
            ("public", "archived", {"member", "steward", "coordinator"}),
        ],
    )
    def test_each_person_sees_what_the_table_allows(
        self, cast: Cast, visibility: str, status: str | None, allowed: set[str]
    ) -> None:
        resource = make_resource(cast.network, cast.member, visibility=visibility, status=status)
        url = reverse("library:resource", args=["cast", resource.pk])
        api = f"/api/v1/networks/cast/resources/{resource.pk}"
        for role in ROLES:
            client = client_for(cast, role)
            expected = 200 if role in allowed else 404
            assert client.get(url).status_code == expected, role
            assert client.get(api).status_code == expected, role
            listed = {
                item["resource"]["id"]
                for item in client.get("/api/v1/networks/cast/resources").json()["items"]
            }
            assert (resource.pk in listed) == (role in allowed and status == "published"), role

    def test_authors_link_to_profiles_only_for_those_who_see_the_directory(
        self, cast: Cast
    ) -> None:
        resource = make_resource(cast.network, cast.steward, author_people=[cast.member])
        url = reverse("library:resource", args=["cast", resource.pk])
        profile = reverse("people:person", args=["cast", cast.member.pk])
        assert profile in client_for(cast, "observer").get(url).content.decode()
        html = Client().get(url).content.decode()
        assert "Mina Member" in html and profile not in html

    def test_curators_see_the_actions_and_the_link_status(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None)
        url = reverse("library:resource", args=["cast", resource.pk])
        html = client_for(cast, "steward").get(url).content.decode()
        assert "Take into review" in html and "Publish" in html and "Not checked yet" in html
        html = client_for(cast, "member").get(url).content.decode()
        assert "Only you and the curators can see this resource" in html
        assert "Take into review" not in html and "Not checked yet" not in html

    def test_translations_link_to_each_other(self, cast: Cast) -> None:
        original = make_resource(cast.network, cast.member, title="Guide", language="en")
        french = make_resource(
            cast.network, cast.member, title="Guide FR", language="fr", translation_of=original
        )
        make_resource(
            cast.network,
            cast.member,
            title="Guide ES",
            language="es",
            translation_of=original,
            visibility="network",
        )
        html = Client().get(reverse("library:resource", args=["cast", french.pk])).content.decode()
        assert reverse("library:resource", args=["cast", original.pk]) in html
        assert "English" in html  # the original, named by its language
        assert "Guide ES" not in html

    def test_markdown_in_a_summary_is_sanitized(self, cast: Cast) -> None:
        resource = make_resource(
            cast.network,
            cast.member,
            summary="[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        )
        html = (
            Client().get(reverse("library:resource", args=["cast", resource.pk])).content.decode()
        )
        assert "javascript:" not in html and "onerror" not in html


class NewThisMonthTests:
    def test_this_month_lists_what_was_published_this_month(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Fresh")
        old = make_resource(cast.network, cast.member, title="Old news")
        Resource.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=70))
        html = Client().get(reverse("library:new", args=["cast"])).content.decode()
        assert "Fresh" in html and "Old news" not in html
        month = (timezone.now() - timedelta(days=70)).strftime("%Y-%m")
        html = (
            Client().get(reverse("library:new", args=["cast"]), {"month": month}).content.decode()
        )
        assert "Old news" in html and "Fresh" not in html

    def test_a_month_that_is_not_a_month_is_a_400(self, cast: Cast) -> None:
        response = Client().get(reverse("library:new", args=["cast"]), {"month": "2024-13"})
        assert response.status_code == 400
        assert "YYYY-MM" in response.content.decode()


class MySubmissionsTests:
    def test_a_member_sees_their_own_submissions_whatever_their_status(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Mine waiting", status=None)
        make_resource(cast.network, cast.member, title="Mine out")
        make_resource(cast.network, cast.steward, title="Not mine", status=None)
        html = (
            client_for(cast, "member").get(reverse("library:mine", args=["cast"])).content.decode()
        )
        assert "Mine waiting" in html and "Mine out" in html and "Not mine" not in html


class LatestResourcesTagTests:
    def test_the_tag_lists_the_newest_resources_the_viewer_may_see(self, cast: Cast) -> None:
        make_resource(cast.network, cast.member, title="Public one")
        make_resource(cast.network, cast.member, title="Network one", visibility="network")
        template = Template("{% load library %}{% latest_resources network access %}")
        request = RequestFactory().get("/")
        html = template.render(
            Context(
                {
                    "network": cast.network,
                    "access": access_for(None, cast.network),
                    "request": request,
                }
            )
        )
        assert "Public one" in html and "Network one" not in html
        html = template.render(
            Context({"network": cast.network, "access": access_for(cast.member.user, cast.network)})
        )
        assert "Network one" in html
