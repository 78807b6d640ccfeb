"""API v1 for weaving: suggestions, the board, refreshing, double opt-in introductions, their
outcome, the report; who may do what, and what each side may see before and after both say yes.

Mail goes to a real SMTP server on loopback (the root conftest's `smtp_server`); tasks run with the
immediate backend once the request's transaction commits (`django_capture_on_commit_callbacks`)."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from django.test import Client

from netweave.accounts.services import api_token_create
from netweave.lib.testing import make_member
from netweave.people.models import Person, Role
from netweave.ties.models import Tie
from netweave.ties.services import tie_add
from netweave.weaving import api as weaving_api
from netweave.weaving.models import Goal, Introduction, Recommendation, RecommendationRun
from netweave.weaving.services import (
    introduction_answer,
    introduction_propose,
    recommendations_compute,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/networks/cast"


def client_for(cast, who: str | Person) -> Client:  # type: ignore[no-untyped-def]
    """A signed-in client for a cast role ("member") or for any person with a login."""
    client = Client()
    user = who.user if isinstance(who, Person) else cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


def get(cast, who, path: str, params: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    return client_for(cast, who).get(BASE + path, params or {})


def post(cast, who, path: str, body: Any = None):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str) else json.dumps(body or {})
    return client_for(cast, who).post(BASE + path, data, content_type="application/json")


@pytest.fixture
def xena(cast) -> Person:  # type: ignore[no-untyped-def]
    """A newcomer who works on HIV prevention like the member, and who knows the steward, as
    the member does: the recommender's best pair is the member and Xena."""
    xena = make_member(
        cast.network,
        Role.MEMBER,
        name="Xena Newcomer",
        email="xena@example.org",
        expertise=["HIV prevention"],
        organization="Lagos Trials Unit",
    )
    for a, b in [(cast.member, cast.steward), (cast.steward, cast.coordinator)]:
        tie_add(network=cast.network, source=a, target=b, kind=Tie.Kind.KNOWS)
    tie_add(network=cast.network, source=cast.steward, target=xena, kind=Tie.Kind.KNOWS)
    cast.steward.map_consent = Person.MapConsent.NAMED
    cast.steward.save(update_fields=["map_consent"])
    recommendations_compute(network=cast.network)
    return xena


def suggestion(cast, person: Person, suggested: Person) -> Recommendation:  # type: ignore[no-untyped-def]
    return Recommendation.objects.get(network=cast.network, person=person, suggested=suggested)


def propose(cast, by: Person, a: Person, b: Person) -> Introduction:  # type: ignore[no-untyped-def]
    return introduction_propose(network=cast.network, proposed_by=by, person_a=a, person_b=b)


# --- suggestions ---------------------------------------------------------------------------------


class RecommendationsListTests:
    def test_it_lists_only_the_callers_own_suggestions_best_first_worded_for_them(
        self, cast, xena
    ) -> None:
        response = get(cast, "member", "/recommendations")
        assert response.status_code == 200, response.content
        page = response.json()
        assert {item["person"]["id"] for item in page["items"]} == {cast.member.pk}
        assert page["count"] == len(page["items"]) == 2
        best = page["items"][0]
        assert best["suggested"] == {
            "id": xena.pk,
            "name": "Xena Newcomer",
            "organization": "Lagos Trials Unit",
        }
        assert best["reasons"] == [
            "you both know Stella Steward",
            "you both work on HIV prevention",
            "you come from different organizations",
        ]
        assert best["signals"] == ["shared", "topic", "differ"]
        assert best["goals"] == ["newcomers", "bridge"]
        assert best["status"] == "open" and best["rank"] == 1
        assert page["items"][1]["suggested"]["name"] == "Cora Coordinator"
        assert page["items"][0]["score"] >= page["items"][1]["score"]

    def test_it_pages_like_every_other_list(self, cast, xena) -> None:
        page = get(cast, "member", "/recommendations", {"page": 2, "page_size": 1}).json()
        assert (page["count"], page["page"], page["pages"], page["page_size"]) == (2, 2, 2, 1)
        assert [item["suggested"]["name"] for item in page["items"]] == ["Cora Coordinator"]

    def test_a_coordinator_reads_a_members_suggestions_worded_about_both(self, cast, xena) -> None:
        response = get(cast, "coordinator", "/recommendations", {"person_id": cast.member.pk})
        assert response.status_code == 200
        best = response.json()["items"][0]
        assert best["person"]["id"] == cast.member.pk
        assert best["reasons"] == [
            "they both know Stella Steward",
            "both work on HIV prevention",
            "they come from different organizations",
        ]

    def test_a_member_cannot_read_someone_elses_suggestions(self, cast, xena) -> None:
        response = get(cast, "member", "/recommendations", {"person_id": xena.pk})
        assert response.status_code == 403
        assert response.json() == {"error": "Only coordinators see another member's suggestions."}
        own = get(cast, "member", "/recommendations", {"person_id": cast.member.pk})
        assert own.status_code == 200 and own.json()["count"] == 2

    def test_a_person_outside_the_network_has_no_suggestions_here(self, cast, xena) -> None:
        response = get(cast, "coordinator", "/recommendations", {"person_id": cast.outsider.pk})
        assert response.status_code == 404
        assert response.json() == {"error": "Not found."}

    def test_observers_and_outsiders_have_no_suggestions(self, cast, xena) -> None:
        assert get(cast, "observer", "/recommendations").status_code == 403
        assert get(cast, "outsider", "/recommendations").status_code == 403
        assert get(cast, "anonymous", "/recommendations").status_code == 401

    def test_its_queries_do_not_grow_with_the_page(
        self, cast, xena, django_assert_max_num_queries
    ) -> None:
        for extra in range(4):
            make_member(cast.network, Role.MEMBER, expertise=["HIV prevention"], name=f"P{extra}")
        recommendations_compute(network=cast.network)
        client = client_for(cast, "member")
        client.get(BASE + "/recommendations")  # the session and access are warm
        with django_assert_max_num_queries(12) as counted:
            one = client.get(BASE + "/recommendations", {"page_size": 1})
        with django_assert_max_num_queries(len(counted.captured_queries)):
            many = client.get(BASE + "/recommendations", {"page_size": 50})
        assert len(many.json()["items"]) > len(one.json()["items"]) == 1


class RecommendationsDismissTests:
    def test_a_member_dismisses_their_suggestion_and_the_pair_is_not_suggested_again(
        self, cast, xena
    ) -> None:
        mine = suggestion(cast, cast.member, xena)
        response = post(cast, "member", f"/recommendations/{mine.pk}/dismiss")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "dismissed"
        assert response.json()["reasons"][0] == "you both know Stella Steward"
        listed = get(cast, "member", "/recommendations").json()["items"]
        assert xena.pk not in {item["suggested"]["id"] for item in listed}
        assert suggestion(cast, xena, cast.member).status == Recommendation.Status.DISMISSED
        again = post(cast, "member", f"/recommendations/{mine.pk}/dismiss")
        assert again.status_code == 200 and again.json()["status"] == "dismissed"

    def test_nobody_but_its_member_or_a_coordinator_dismisses_a_suggestion(
        self, cast, xena
    ) -> None:
        theirs = suggestion(cast, cast.coordinator, cast.member)
        response = post(cast, "member", f"/recommendations/{theirs.pk}/dismiss")
        assert response.status_code == 404
        mine = suggestion(cast, cast.member, xena)
        assert post(cast, "steward", f"/recommendations/{mine.pk}/dismiss").status_code == 404
        assert post(cast, "observer", f"/recommendations/{mine.pk}/dismiss").status_code == 403
        assert suggestion(cast, cast.member, xena).status == Recommendation.Status.OPEN
        by_coordinator = post(cast, "coordinator", f"/recommendations/{mine.pk}/dismiss")
        assert by_coordinator.status_code == 200
        assert by_coordinator.json()["reasons"][0] == "they both know Stella Steward"
        mine.refresh_from_db()
        assert mine.dismissed_by == cast.coordinator

    def test_a_suggestion_already_acted_on_is_a_409(self, cast, xena) -> None:
        mine = suggestion(cast, cast.member, xena)
        propose(cast, cast.member, cast.member, xena)
        response = post(cast, "member", f"/recommendations/{mine.pk}/dismiss")
        assert response.status_code == 409
        assert response.json() == {
            "error": "An introduction was already proposed for this suggestion."
        }


class WeavingBoardTests:
    def test_a_coordinator_sees_every_pair_once_worded_about_both(self, cast, xena) -> None:
        response = get(cast, "coordinator", "/weaving/board")
        assert response.status_code == 200, response.content
        items = response.json()["items"]
        pairs = [frozenset((item["person"]["id"], item["suggested"]["id"])) for item in items]
        assert len(pairs) == len(set(pairs)) == 3
        best = items[0]
        assert {best["person"]["id"], best["suggested"]["id"]} == {cast.member.pk, xena.pk}
        assert best["reasons"] == [
            "they both know Stella Steward",
            "both work on HIV prevention",
            "they come from different organizations",
        ]

    def test_it_narrows_to_a_goal_and_to_a_name(self, cast, xena) -> None:
        Recommendation.objects.update(goals="")
        Recommendation.objects.filter(person=cast.coordinator, suggested=cast.member).update(
            goals=",hub,"
        )
        hub = get(cast, "coordinator", "/weaving/board", {"goal": "hub"}).json()
        assert [(i["person"]["id"], i["suggested"]["id"]) for i in hub["items"]] == [
            (cast.coordinator.pk, cast.member.pk)
        ]
        assert hub["items"][0]["goals"] == ["hub"]
        assert get(cast, "coordinator", "/weaving/board", {"goal": "core"}).json()["count"] == 0
        named = get(cast, "coordinator", "/weaving/board", {"q": "xena"}).json()["items"]
        assert named and all(
            xena.pk in (item["person"]["id"], item["suggested"]["id"]) for item in named
        )

    def test_an_unknown_goal_is_a_400_naming_the_field(self, cast, xena) -> None:
        response = get(cast, "coordinator", "/weaving/board", {"goal": "everything"})
        assert response.status_code == 400
        assert response.json()["detail"][0]["field"] == "goal"

    def test_members_and_stewards_do_not_see_the_board(self, cast, xena) -> None:
        for who in ("member", "steward"):
            response = get(cast, who, "/weaving/board")
            assert response.status_code == 403, who
            assert response.json() == {"error": "Only coordinators see the weaving board."}
        assert get(cast, "anonymous", "/weaving/board").status_code == 401

    def test_its_queries_do_not_grow_with_the_page(
        self, cast, xena, django_assert_max_num_queries
    ) -> None:
        for extra in range(4):
            make_member(cast.network, Role.MEMBER, expertise=["HIV prevention"], name=f"P{extra}")
        recommendations_compute(network=cast.network)
        client = client_for(cast, "coordinator")
        client.get(BASE + "/weaving/board")
        with django_assert_max_num_queries(12) as counted:
            one = client.get(BASE + "/weaving/board", {"page_size": 1})
        with django_assert_max_num_queries(len(counted.captured_queries)):
            many = client.get(BASE + "/weaving/board", {"page_size": 50})
        assert len(many.json()["items"]) > len(one.json()["items"]) == 1


class RecommendationsRefreshTests:
    def test_a_coordinator_queues_a_computation_and_members_watch_it_finish(
        self, cast, xena, django_capture_on_commit_callbacks
    ) -> None:
        missing = get(cast, "member", "/recommendations/runs/latest")
        assert missing.status_code == 404
        assert missing.json() == {
            "error": "The suggestions have not been computed in this network yet."
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = post(cast, "coordinator", "/recommendations/refresh")
        assert response.status_code == 202, response.content
        queued = response.json()
        assert queued["status"] == "queued" and queued["finished_at"] is None
        latest = get(cast, "member", "/recommendations/runs/latest")
        assert latest.status_code == 200
        done = latest.json()
        assert done["id"] == queued["id"]
        assert done["status"] == "done" and done["finished_at"] is not None
        assert done["members"] == 4 and done["recommendations"] == 6
        run = RecommendationRun.objects.get(pk=queued["id"])
        assert run.requested_by == cast.coordinator

    def test_asking_again_while_one_is_queued_returns_that_one(self, cast) -> None:
        first = post(cast, "coordinator", "/recommendations/refresh").json()
        second = post(cast, "coordinator", "/recommendations/refresh").json()
        assert first["id"] == second["id"]
        assert RecommendationRun.objects.filter(network=cast.network).count() == 1

    def test_only_coordinators_refresh(self, cast) -> None:
        for who in ("member", "steward"):
            response = post(cast, who, "/recommendations/refresh")
            assert response.status_code == 403, who
            assert response.json() == {"error": "Only coordinators refresh the suggestions."}
        assert not RecommendationRun.objects.exists()


# --- introductions -------------------------------------------------------------------------------


class IntroductionsCreateTests:
    def test_a_member_proposes_meeting_someone_and_has_said_yes_by_asking(
        self, cast, xena, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        mine = suggestion(cast, cast.member, xena)
        with django_capture_on_commit_callbacks(execute=True):
            response = post(
                cast,
                "member",
                "/introductions",
                {"person_b_id": xena.pk, "note": "HIV trials?", "recommendation_id": mine.pk},
            )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["person_a"] == {"id": cast.member.pk, "name": "Mina Member"}
        assert body["person_b"] == {"id": xena.pk, "name": "Xena Newcomer"}
        assert body["proposed_by"]["id"] == cast.member.pk
        assert (body["status"], body["your_side"], body["your_answer"]) == (
            "proposed",
            "a",
            "accepted",
        )
        assert body["can_answer"] is False and body["can_withdraw"] is True
        assert body["a_answer"] is None and body["b_answer"] is None
        assert body["other"] == {"id": xena.pk, "name": "Xena Newcomer"}
        assert body["other_email"] is None
        assert body["note"] == "HIV trials?"
        assert body["recommendation_id"] == mine.pk
        assert body["reasons"] == [
            "you both know Stella Steward",
            "you both work on HIV prevention",
            "you come from different organizations",
        ]
        mine.refresh_from_db()
        assert mine.status == Recommendation.Status.INTRODUCED
        # Only Xena is asked; the request does not give her the member's address.
        asked = smtp_server.wait_for(to="xena@example.org", subject_contains="Mina Member")
        assert "mina@example.org" not in asked.text + asked.html
        assert smtp_server.messages_to("mina@example.org") == []

    def test_a_member_named_second_is_still_the_one_who_said_yes(self, cast, xena) -> None:
        response = post(
            cast,
            "member",
            "/introductions",
            {"person_a_id": xena.pk, "person_b_id": cast.member.pk},
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["person_a"]["id"] == cast.member.pk and body["your_answer"] == "accepted"

    def test_a_member_cannot_introduce_two_other_people(self, cast, xena) -> None:
        response = post(
            cast,
            "member",
            "/introductions",
            {"person_a_id": cast.steward.pk, "person_b_id": xena.pk},
        )
        assert response.status_code == 403
        assert response.json() == {
            "error": "You can only propose an introduction that includes yourself; coordinators "
            "introduce two other people."
        }
        assert not Introduction.objects.exists()

    def test_a_coordinator_introduces_two_other_people_who_both_still_answer(
        self, cast, xena
    ) -> None:
        response = post(
            cast,
            "coordinator",
            "/introductions",
            {"person_a_id": cast.member.pk, "person_b_id": xena.pk, "note": "Meet!"},
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["your_side"] is None and body["your_answer"] is None
        assert (body["a_answer"], body["b_answer"]) == ("pending", "pending")
        assert body["can_answer"] is False and body["can_withdraw"] is True
        assert body["other"] is None and body["other_email"] is None

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({}, "person_b_id"),
            ({"person_b_id": "someone"}, "person_b_id"),
            ({"person_b_id": 1, "note": "x" * 2001}, "note"),
            ({"person_b_id": 1, "email": "a@example.org"}, "email"),
        ],
    )
    def test_a_body_that_is_not_valid_is_a_400_naming_the_field(
        self, cast, xena, payload, field
    ) -> None:
        response = post(cast, "member", "/introductions", payload)
        assert response.status_code == 400
        assert response.json()["detail"][0]["field"] == field

    def test_a_body_that_is_not_json_is_a_400(self, cast) -> None:
        response = post(cast, "member", "/introductions", "{not json")
        assert response.status_code == 400
        assert response.json() == {"error": "The request body is not valid JSON."}

    def test_someone_who_is_not_in_the_network_is_a_400(self, cast) -> None:
        response = post(cast, "member", "/introductions", {"person_b_id": cast.outsider.pk})
        assert response.status_code == 400
        assert response.json() == {
            "error": f"person_b_id: person {cast.outsider.pk} is not a member of this network."
        }

    def test_a_suggestion_about_other_people_is_a_400(self, cast, xena) -> None:
        other = suggestion(cast, cast.coordinator, xena)
        response = post(
            cast,
            "member",
            "/introductions",
            {"person_b_id": xena.pk, "recommendation_id": other.pk},
        )
        assert response.status_code == 400
        assert "recommendation_id" in response.json()["error"]

    @pytest.mark.parametrize(
        ("setup", "message"),
        [
            ("twice", "An introduction of Mina Member and Xena Newcomer is already waiting for answers."),
            ("declined", "An introduction of Mina Member and Xena Newcomer was declined before; it is not proposed again."),
            ("opted_out", "Xena Newcomer has asked not to be suggested for introductions."),
            ("lapsed", "Xena Newcomer is not an active member of this network."),
            ("self", "An introduction needs two different people."),
        ],
    )  # fmt: skip
    def test_a_request_that_breaks_a_weaving_rule_is_a_409_that_says_why(
        self, cast, xena, setup, message
    ) -> None:
        if setup in ("twice", "declined"):
            earlier = propose(cast, cast.member, cast.member, xena)
            if setup == "declined":
                introduction_answer(introduction=earlier, person=xena, accept=False)
        elif setup == "opted_out":
            xena.open_to_introductions = False
            xena.save(update_fields=["open_to_introductions"])
        elif setup == "lapsed":
            xena.memberships.update(status="lapsed")
        other = cast.member.pk if setup == "self" else xena.pk
        response = post(cast, "member", "/introductions", {"person_b_id": other})
        assert response.status_code == 409, response.content
        assert response.json() == {"error": message}


class IntroductionsReadTests:
    def test_members_see_only_the_introductions_they_are_part_of(self, cast, xena) -> None:
        theirs = propose(cast, cast.member, cast.member, xena)
        own = propose(cast, cast.steward, cast.steward, cast.coordinator)
        steward_list = get(cast, "steward", "/introductions").json()
        assert [item["id"] for item in steward_list["items"]] == [own.pk]
        missing = get(cast, "steward", f"/introductions/{theirs.pk}")
        assert missing.status_code == 404
        assert missing.json() == {"error": "Not found."}
        assert get(cast, "member", f"/introductions/{theirs.pk}").status_code == 200
        assert get(cast, "observer", f"/introductions/{theirs.pk}").status_code == 403

    def test_a_coordinator_sees_every_introduction_and_filters_by_status(self, cast, xena) -> None:
        waiting = propose(cast, cast.member, cast.member, xena)
        declined = propose(cast, cast.steward, cast.steward, xena)
        introduction_answer(introduction=declined, person=xena, accept=False)
        listed = get(cast, "coordinator", "/introductions").json()
        assert [item["id"] for item in listed["items"]] == [declined.pk, waiting.pk]
        only = get(cast, "coordinator", "/introductions", {"status": "declined"}).json()
        assert [item["id"] for item in only["items"]] == [declined.pk]
        assert only["items"][0]["b_answer"] == "declined"
        bad = get(cast, "coordinator", "/introductions", {"status": "lost"})
        assert bad.status_code == 400

    def test_another_networks_introduction_is_not_found_here(self, cast) -> None:
        elsewhere = make_member(cast.other_network, Role.MEMBER, name="Oskar Elsewhere")
        foreign = introduction_propose(
            network=cast.other_network,
            proposed_by=cast.other_member,
            person_a=cast.other_member,
            person_b=elsewhere,
        )
        assert get(cast, "coordinator", f"/introductions/{foreign.pk}").status_code == 404

    def test_its_queries_do_not_grow_with_the_page(
        self, cast, xena, django_assert_max_num_queries
    ) -> None:
        # Rows the coordinator is one of the two in, and rows between two other people: the
        # names their reasons mention are looked up each way, once for the page.
        for extra in range(4):
            person = make_member(cast.network, Role.MEMBER, name=f"P{extra}")
            propose(cast, cast.coordinator, person, xena)
            propose(cast, cast.coordinator, cast.coordinator, person)
        Introduction.objects.filter(network=cast.network).update(
            details=[{"code": "shared", "count": 1, "people": [cast.steward.pk]}]
        )
        client = client_for(cast, "coordinator")
        client.get(BASE + "/introductions")
        with django_assert_max_num_queries(12) as counted:
            one = client.get(BASE + "/introductions", {"page_size": 2})
        with django_assert_max_num_queries(len(counted.captured_queries)):
            many = client.get(BASE + "/introductions", {"page_size": 50})
        assert {item["your_side"] for item in one.json()["items"]} == {"a", None}
        assert len(many.json()["items"]) == 8
        assert {tuple(item["reasons"]) for item in many.json()["items"]} == {
            ("you both know Stella Steward",),
            ("they both know Stella Steward",),
        }


class DoubleOptInTests:
    """Before both say yes, neither sees the other's answer or address; after, both see the
    other's address; a coordinator sees both answers and never an address."""

    def test_before_both_say_yes_nobody_sees_the_others_answer_or_address(self, cast, xena) -> None:
        introduction = propose(cast, cast.coordinator, cast.member, xena)
        introduction_answer(introduction=introduction, person=cast.member, accept=True)
        url = f"/introductions/{introduction.pk}"
        for who, email in ((xena, "mina@example.org"), (cast.member, "xena@example.org")):
            response = client_for(cast, who).get(BASE + url)
            assert response.status_code == 200
            body = response.json()
            assert body["a_answer"] is None and body["b_answer"] is None
            assert body["other_email"] is None
            assert email not in response.content.decode()
        assert get(cast, "member", url).json()["your_answer"] == "accepted"
        seen_by_xena = client_for(cast, xena).get(BASE + url).json()
        assert (seen_by_xena["your_side"], seen_by_xena["your_answer"]) == ("b", "pending")
        assert seen_by_xena["can_answer"] is True
        listed = client_for(cast, xena).get(BASE + "/introductions").json()["items"][0]
        assert listed["a_answer"] is None and listed["other_email"] is None
        coordinator = get(cast, "coordinator", url).json()
        assert (coordinator["a_answer"], coordinator["b_answer"]) == ("accepted", "pending")

    def test_once_both_say_yes_each_sees_the_others_address_and_they_are_tied(
        self, cast, xena, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            created = post(cast, "member", "/introductions", {"person_b_id": xena.pk})
        url = f"/introductions/{created.json()['id']}"
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(cast, xena).post(
                BASE + url + "/answer",
                json.dumps({"accept": True}),
                content_type="application/json",
            )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == "accepted" and body["your_answer"] == "accepted"
        assert body["other_email"] == "mina@example.org"
        assert body["can_record_outcome"] is True and body["can_withdraw"] is False
        assert get(cast, "member", url).json()["other_email"] == "xena@example.org"
        coordinator = get(cast, "coordinator", url)
        assert coordinator.json()["other_email"] is None
        assert "mina@example.org" not in coordinator.content.decode()
        assert "xena@example.org" not in coordinator.content.decode()
        introduction = Introduction.objects.get(pk=body["id"])
        assert introduction.tie is not None
        assert introduction.tie.kind == Tie.Kind.INTRODUCED
        assert {introduction.tie.source_id, introduction.tie.target_id} == {
            cast.member.pk,
            xena.pk,
        }
        # The "you are introduced" emails are the first to give each the other's address.
        for to, other in (("mina@example.org", "xena@"), ("xena@example.org", "mina@")):
            made = smtp_server.wait_for(to=to, subject_contains="Cast Network: meet")
            assert other in made.text

    def test_one_no_closes_it_without_telling_who_said_no(self, cast, xena) -> None:
        introduction = propose(cast, cast.member, cast.member, xena)
        url = f"/introductions/{introduction.pk}"
        response = client_for(cast, xena).post(
            BASE + url + "/answer", json.dumps({"accept": False}), content_type="application/json"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "declined"
        seen_by_member = get(cast, "member", url).json()
        assert seen_by_member["status"] == "declined"
        assert seen_by_member["b_answer"] is None and seen_by_member["other_email"] is None
        assert not Tie.objects.filter(kind=Tie.Kind.INTRODUCED).exists()


class IntroductionsAnswerTests:
    def test_only_the_two_people_answer(self, cast, xena) -> None:
        introduction = propose(cast, cast.coordinator, cast.member, xena)
        url = f"/introductions/{introduction.pk}/answer"
        response = post(cast, "coordinator", url, {"accept": True})
        assert response.status_code == 403
        assert response.json() == {"error": "Only the two people being introduced can answer."}
        assert post(cast, "steward", url, {"accept": True}).status_code == 404
        introduction.refresh_from_db()
        assert (introduction.a_answer, introduction.b_answer) == ("pending", "pending")

    def test_answering_the_same_way_twice_is_harmless_and_changing_is_a_409(
        self, cast, xena
    ) -> None:
        introduction = propose(cast, cast.member, cast.member, xena)
        url = f"/introductions/{introduction.pk}/answer"
        same = post(cast, "member", url, {"accept": True})
        assert same.status_code == 200 and same.json()["status"] == "proposed"
        changed = post(cast, "member", url, {"accept": False})
        assert changed.status_code == 409
        assert changed.json() == {"error": "You have already answered this introduction."}

    def test_an_answer_must_say_yes_or_no(self, cast, xena) -> None:
        introduction = propose(cast, cast.member, cast.member, xena)
        response = post(cast, "member", f"/introductions/{introduction.pk}/answer", {})
        assert response.status_code == 400
        assert response.json()["detail"][0]["field"] == "accept"


class IntroductionsOutcomeTests:
    def test_working_together_becomes_a_collaborates_tie(self, cast, xena) -> None:
        introduction = propose(cast, cast.member, cast.member, xena)
        introduction_answer(introduction=introduction, person=xena, accept=True)
        response = post(
            cast,
            "member",
            f"/introductions/{introduction.pk}/outcome",
            {"outcome": "collaborated", "note": "A joint protocol."},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["outcome"], body["outcome_note"]) == ("collaborated", "A joint protocol.")
        assert body["outcome_at"] is not None
        tie = Tie.objects.get(kind=Tie.Kind.COLLABORATES, evidence__startswith="introduction:")
        assert {tie.source_id, tie.target_id} == {cast.member.pk, xena.pk}

    def test_a_coordinator_records_an_outcome_and_others_cannot(self, cast, xena) -> None:
        introduction = propose(cast, cast.member, cast.member, xena)
        introduction_answer(introduction=introduction, person=xena, accept=True)
        url = f"/introductions/{introduction.pk}/outcome"
        assert post(cast, "steward", url, {"outcome": "in_touch"}).status_code == 404
        response = post(cast, "coordinator", url, {"outcome": "in_touch"})
        assert response.status_code == 200 and response.json()["outcome"] == "in_touch"
        assert not Tie.objects.filter(kind=Tie.Kind.COLLABORATES).exists()

    def test_an_introduction_not_made_has_no_outcome(self, cast, xena) -> None:
        introduction = propose(cast, cast.member, cast.member, xena)
        url = f"/introductions/{introduction.pk}/outcome"
        response = post(cast, "member", url, {"outcome": "collaborated"})
        assert response.status_code == 409
        assert response.json() == {
            "error": "Only an introduction both people accepted has an outcome."
        }
        unknown = post(cast, "member", url, {"outcome": "married"})
        assert unknown.status_code == 400
        assert unknown.json()["detail"][0]["field"] == "outcome"


class IntroductionsWithdrawTests:
    def test_the_proposer_withdraws_and_the_other_person_cannot(self, cast, xena) -> None:
        introduction = propose(cast, cast.member, cast.member, xena)
        url = f"/introductions/{introduction.pk}/withdraw"
        refused = client_for(cast, xena).post(BASE + url, content_type="application/json")
        assert refused.status_code == 403
        assert refused.json() == {
            "error": "Only whoever proposed the introduction, or a coordinator, can withdraw it."
        }
        response = post(cast, "member", url)
        assert response.status_code == 200 and response.json()["status"] == "withdrawn"
        assert suggestion(cast, cast.member, xena).status == Recommendation.Status.OPEN

    def test_a_coordinator_withdraws_but_not_once_it_is_decided(self, cast, xena) -> None:
        waiting = propose(cast, cast.member, cast.member, xena)
        response = post(cast, "coordinator", f"/introductions/{waiting.pk}/withdraw")
        assert response.status_code == 200 and response.json()["status"] == "withdrawn"
        made = propose(cast, cast.member, cast.member, cast.coordinator)
        introduction_answer(introduction=made, person=cast.coordinator, accept=True)
        late = post(cast, "coordinator", f"/introductions/{made.pk}/withdraw")
        assert late.status_code == 409
        assert late.json() == {
            "error": "Only an introduction still waiting for answers can be withdrawn."
        }


# --- the report, tokens, the contract ------------------------------------------------------------


class WeavingReportTests:
    def test_a_coordinator_reads_the_report(self, cast, xena) -> None:
        made = propose(cast, cast.member, cast.member, xena)
        introduction_answer(introduction=made, person=xena, accept=True)
        declined = propose(cast, cast.coordinator, cast.steward, xena)
        introduction_answer(introduction=declined, person=xena, accept=False)
        response = get(cast, "coordinator", "/weaving/report")
        assert response.status_code == 200, response.content
        report = response.json()
        totals = report["totals"]
        assert (totals["proposed"], totals["accepted"], totals["declined"]) == (2, 1, 1)
        assert totals["acceptance_rate"] == 0.5 and totals["collaboration_rate"] is None
        assert sum(month["proposed"] for month in report["activity"]) == 2
        assert {row["proposer"]: row["proposed"] for row in report["proposers"]} == {
            "member": 1,
            "Cora Coordinator": 1,
        }
        assert report["snapshots"] == []

    def test_members_do_not_see_the_report(self, cast) -> None:
        response = get(cast, "member", "/weaving/report")
        assert response.status_code == 403
        assert response.json() == {"error": "Only coordinators see the weaving report."}


class BearerTokenTests:
    def test_a_script_lists_and_proposes_with_a_personal_token(self, cast, xena) -> None:
        _token, raw = api_token_create(user=cast.member.user, name="tests")
        client = Client(enforce_csrf_checks=True)  # no session: the token alone, no CSRF token
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        listed = client.get(BASE + "/recommendations")
        assert listed.status_code == 200 and listed.json()["count"] == 2
        created = client.post(
            BASE + "/introductions",
            json.dumps({"person_b_id": xena.pk}),
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        assert created.json()["your_side"] == "a"
        assert client.get(BASE + "/weaving/board").status_code == 403

    def test_a_dead_token_is_a_401(self, cast) -> None:
        response = Client().get(
            BASE + "/introductions", HTTP_AUTHORIZATION="Bearer nw_not-a-real-token"
        )
        assert response.status_code == 401


class WeavingContractTests:
    def test_the_literal_choices_match_the_models(self) -> None:
        pairs = [
            (weaving_api.GoalName, Goal.values),
            (weaving_api.RecommendationStatusName, Recommendation.Status.values),
            (weaving_api.RunStatusName, RecommendationRun.Status.values),
            (weaving_api.IntroductionStatusName, Introduction.Status.values),
            (weaving_api.AnswerName, Introduction.Answer.values),
            (weaving_api.OutcomeName, [value for value in Introduction.Outcome.values if value]),
        ]
        for literal, values in pairs:
            assert list(get_args(literal)) == list(values), literal
