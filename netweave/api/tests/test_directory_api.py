import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netweave.lib.testing import make_member, make_organization
from netweave.people.models import Person, Role
from netweave.people.services import membership_change_status

DIRECTORY_STATUSES = [
    ("coordinator", 200),
    ("steward", 200),
    ("member", 200),
    ("observer", 200),
    ("other_member", 403),
    ("outsider", 403),
    ("anonymous", 401),
]
PRIVATE_STATUSES = [(who, 404 if status != 200 else 200) for who, status in DIRECTORY_STATUSES]


@pytest.mark.django_db
class MembersListTests:
    @pytest.mark.parametrize(("who", "status"), DIRECTORY_STATUSES)
    def test_observers_and_up_see_the_directory(self, api, who, status):
        response = api.get(who, "/networks/cast/members")
        assert response.status == status
        if status == 200:
            assert [m["name"] for m in response.body["items"]] == [
                "Cora Coordinator",
                "Mina Member",
                "Omar Observer",
                "Stella Steward",
            ]
        else:
            assert response.error

    @pytest.mark.parametrize(("who", "status"), PRIVATE_STATUSES)
    def test_a_private_directory_is_a_404_to_outsiders(self, private_api, who, status):
        assert private_api.get(who, "/networks/cast/members").status == status

    def test_the_anonymous_401_says_how_to_authenticate(self, api):
        response = api.get("anonymous", "/networks/cast/members")
        assert "Authorization: Bearer" in response.error
        assert response.body.keys() == {"error"}

    def test_a_row_carries_the_profile_summary(self, api):
        items = api.get("member", "/networks/cast/members").body["items"]
        mina = next(m for m in items if m["name"] == "Mina Member")
        assert mina["id"] == api.cast.member.pk
        assert mina["role"] == "member"
        assert mina["organization"]["name"] == "Kenya Medical Research Institute"
        assert mina["country"] == "KE"
        assert mina["languages"] == ["en", "sw"]
        assert mina["expertise"] == ["HIV prevention"]

    @pytest.mark.parametrize("who", ["steward", "member", "observer"])
    def test_email_addresses_never_reach_anyone_but_coordinators(self, api, who):
        response = api.get(who, "/networks/cast/members")
        assert all(item["email"] is None for item in response.body["items"])
        assert b"@example.org" not in response.raw

    def test_coordinators_see_email_addresses(self, api):
        items = api.get("coordinator", "/networks/cast/members").body["items"]
        assert {m["email"] for m in items} == {
            "cora@example.org",
            "mina@example.org",
            "omar@example.org",
            "stella@example.org",
        }

    def test_searching_for_an_address_finds_nothing_for_members(self, api):
        # The search index holds no email addresses, so a search cannot confirm one either.
        response = api.get("member", "/networks/cast/members", {"q": "mina@example.org"})
        assert response.status == 200
        assert response.body["count"] == 0

    def test_it_searches_and_filters(self, api):
        def names(params):
            response = api.get("observer", "/networks/cast/members", params)
            assert response.status == 200, response.body
            return [m["name"] for m in response.body["items"]]

        organization = Person.objects.get(pk=api.cast.member.pk).primary_affiliation.organization
        assert names({"q": "HIV"}) == ["Mina Member"]
        assert names({"q": "prev"}) == ["Mina Member"]  # prefix matching
        assert names({"country": "ke"}) == ["Mina Member"]
        assert names({"language": "SW"}) == ["Mina Member"]
        assert names({"role": "steward"}) == ["Stella Steward"]
        assert names({"organization": organization.pk}) == ["Mina Member"]
        assert names({"q": "HIV", "role": "coordinator"}) == []

    def test_it_leaves_out_people_who_are_no_longer_active(self, api):
        membership = api.cast.observer.memberships.get(network=api.cast.network)
        membership_change_status(membership=membership, status="lapsed", actor=None)
        names = [m["name"] for m in api.get("member", "/networks/cast/members").body["items"]]
        assert "Omar Observer" not in names

    @pytest.mark.parametrize(
        ("params", "field", "words"),
        [
            ({"country": "Kenya"}, "country", "two-letter ISO code"),
            ({"language": "elvish"}, "language", "Unknown language codes: elvish"),
            ({"role": "king"}, "role", "observer"),
            ({"sort": "age"}, "sort", "name"),
            ({"organization": "KEMRI"}, "organization", "integer"),
            ({"page": 0}, "page", "greater than or equal to 1"),
            ({"page_size": 201}, "page_size", "less than or equal to 200"),
        ],
    )
    def test_bad_filters_are_a_400_that_names_the_parameter(self, api, params, field, words):
        response = api.get("member", "/networks/cast/members", params)
        assert response.status == 400
        assert response.error.startswith(f"{field}: ")
        assert words in response.error
        assert response.body["detail"][0]["field"] == field


@pytest.mark.django_db
class MembersPaginationTests:
    def test_pages_hold_fifty_by_default_and_say_how_many_there_are(self, api):
        for n in range(60):
            make_member(api.cast.network, name=f"Zed {n:02d}")
        first = api.get("member", "/networks/cast/members").body
        assert (first["count"], first["page"], first["pages"], first["page_size"]) == (64, 1, 2, 50)
        assert len(first["items"]) == 50
        second = api.get("member", "/networks/cast/members", {"page": 2}).body
        assert len(second["items"]) == 14
        assert second["items"][-1]["name"] == "Zed 59"
        seen = [m["id"] for m in first["items"] + second["items"]]
        assert len(set(seen)) == 64

    def test_a_caller_may_ask_for_up_to_two_hundred_a_page(self, api):
        for n in range(60):
            make_member(api.cast.network, name=f"Zed {n:02d}")
        body = api.get("member", "/networks/cast/members", {"page_size": 200}).body
        assert (len(body["items"]), body["pages"]) == (64, 1)
        body = api.get("member", "/networks/cast/members", {"page_size": 10, "page": 7}).body
        assert (len(body["items"]), body["pages"]) == (4, 7)

    def test_a_page_past_the_end_is_empty_not_an_error(self, api):
        body = api.get("member", "/networks/cast/members", {"page": 9}).body
        assert body["items"] == [] and body["count"] == 4


@pytest.mark.django_db
class MembersQueryCountTests:
    def _queries(self, api, client):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/networks/cast/members", {"page_size": 200})
        assert response.status_code == 200
        return len(captured), len(json.loads(response.content)["items"])

    def test_the_number_of_queries_does_not_grow_with_the_members(
        self, api, django_assert_max_num_queries
    ):
        organizations = [make_organization() for _ in range(5)]
        for n in range(6):
            make_member(api.cast.network, organization=organizations[n % 5].name)
        client = api.client("coordinator")
        small, rows = self._queries(api, client)
        assert rows == 10
        for n in range(50):
            make_member(api.cast.network, organization=organizations[n % 5].name)
        large, rows = self._queries(api, client)
        assert rows == 60
        assert large == small
        with django_assert_max_num_queries(10):
            client.get("/api/v1/networks/cast/members", {"page_size": 200})


@pytest.mark.django_db
class PeopleReadTests:
    @pytest.mark.parametrize(("who", "status"), DIRECTORY_STATUSES)
    def test_observers_and_up_read_profiles(self, api, who, status):
        response = api.get(who, f"/networks/cast/people/{api.cast.member.pk}")
        assert response.status == status
        if status == 200:
            assert response.body["name"] == "Mina Member"
            assert response.body["affiliations"][0]["organization"]["name"] == (
                "Kenya Medical Research Institute"
            )

    def test_only_coordinators_see_the_address(self, api):
        path = f"/networks/cast/people/{api.cast.member.pk}"
        assert api.get("coordinator", path).body["email"] == "mina@example.org"
        for who in ("steward", "member", "observer"):
            response = api.get(who, path)
            assert response.body["email"] is None
            assert b"mina@example.org" not in response.raw

    def test_someone_from_another_network_is_a_404(self, api):
        response = api.get("coordinator", f"/networks/cast/people/{api.cast.other_member.pk}")
        assert response.status == 404

    def test_a_private_network_profile_is_a_404_to_outsiders(self, private_api):
        path = f"/networks/cast/people/{private_api.cast.member.pk}"
        assert private_api.get("outsider", path).status == 404
        assert private_api.get("member", path).status == 200


@pytest.mark.django_db
class OrganizationsTests:
    @pytest.mark.parametrize(("who", "status"), DIRECTORY_STATUSES)
    def test_observers_and_up_list_organizations(self, api, who, status):
        response = api.get(who, "/networks/cast/organizations")
        assert response.status == status
        if status == 200:
            assert [(o["name"], o["member_count"]) for o in response.body["items"]] == [
                ("Kenya Medical Research Institute", 1)
            ]

    @pytest.mark.parametrize(("who", "status"), DIRECTORY_STATUSES)
    def test_observers_and_up_read_an_organization(self, api, who, status):
        organization = Person.objects.get(pk=api.cast.member.pk).primary_affiliation.organization
        make_member(api.cast.network, name="Kip Colleague", organization=organization.name)
        response = api.get(who, f"/networks/cast/organizations/{organization.pk}")
        assert response.status == status
        if status == 200:
            assert response.body["member_count"] == 2
            assert [m["name"] for m in response.body["members"]] == ["Kip Colleague", "Mina Member"]
            assert b"@example.org" not in response.raw

    def test_an_organization_without_members_here_is_a_404(self, api):
        elsewhere = make_member(api.cast.other_network, organization="Far Away Institute")
        organization = Person.objects.get(pk=elsewhere.pk).primary_affiliation.organization
        assert api.get("member", f"/networks/cast/organizations/{organization.pk}").status == 404

    def test_organizations_paginate(self, api):
        for n in range(3):
            make_member(api.cast.network, role=Role.MEMBER, organization=f"Org {n}")
        body = api.get("member", "/networks/cast/organizations", {"page_size": 2}).body
        assert (body["count"], body["pages"], len(body["items"])) == (4, 2, 2)
