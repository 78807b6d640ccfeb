"""The demo's season of introductions in `lahp`: every ending an introduction can have, dates
spread over six months that agree with the ties and follow-ups, something waiting for the member
account, newcomers, today's suggestions, no mail, and the same season on every load."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.utils import timezone

from netweave.demo import data
from netweave.demo.load import demo_load, demo_remove
from netweave.networks.models import Network
from netweave.networks.permissions import access_for
from netweave.people.models import Membership, Person
from netweave.ties.models import Tie
from netweave.weaving.demo import newcomer_plan
from netweave.weaving.models import Introduction, Recommendation, RecommendationRun
from netweave.weaving.selectors import weaving_report
from netweave.weaving.tasks import (
    compute_recommendations,
    introduction_check,
    send_introduction_requests,
    send_introduction_update,
    weaving_daily,
)

pytestmark = pytest.mark.django_db


def season() -> list[dict[str, Any]]:
    """Every introduction of the demo as plain data, with the people's emails and its tie."""
    ties = {
        tie.evidence: tie
        for tie in Tie.objects.filter(network__slug="lahp", evidence__startswith="introduction:")
    }
    rows = []
    for item in Introduction.objects.filter(network__slug="lahp").select_related(
        "person_a", "person_b", "proposed_by"
    ):
        proposer = item.proposed_by
        rows.append(
            {
                "a": item.person_a.email,
                "b": item.person_b.email,
                "proposer": "member"
                if proposer in (item.person_a, item.person_b)
                else (proposer.email if proposer else ""),
                "recommended": item.recommendation_id is not None,
                "details": item.details,
                "note": item.note,
                "tie": ties.get(f"introduction:{item.pk}"),
                "collaboration": ties.get(f"introduction:{item.pk}:outcome"),
                **{
                    field: getattr(item, field)
                    for field in (
                        "status",
                        "outcome",
                        "a_answer",
                        "b_answer",
                        "created_at",
                        "expires_at",
                        "decided_at",
                        "a_answered_at",
                        "b_answered_at",
                        "a_asked_at",
                        "b_asked_at",
                        "introduced_mail_at",
                        "closed_mail_at",
                        "follow_up_due_at",
                        "follow_up_sent_at",
                        "outcome_at",
                    )
                },
            }
        )
    return rows


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo, loaded once for this module (it takes a few seconds), read into plain data."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            demo_load()
            lahp = Network.objects.get(slug="lahp")
            lead = Person.objects.get(email=data.COORDINATOR_EMAIL)
            member = Person.objects.get(email=data.MEMBER_EMAIL)
            recent = timezone.now() - timedelta(days=60)
            newcomers = {}
            for membership in Membership.objects.filter(
                network=lahp, status="active", joined_at__gte=recent
            ).select_related("person"):
                person = membership.person
                ties = Tie.objects.filter(network=lahp).filter(Q(source=person) | Q(target=person))
                partners = {t.source_id for t in ties} | {t.target_id for t in ties}
                newcomers[person.email] = {
                    "partners": len(partners - {person.pk}),
                    "profile": all([person.bio, person.expertise, person.offers, person.seeks]),
                    "newcomer_goal": Recommendation.objects.filter(
                        network=lahp, person=person, status="open", goals__contains=",newcomers,"
                    ).exists(),
                }
            facts = {
                "now": timezone.now(),
                "lead": lead.email,
                "season": season(),
                "newcomers": newcomers,
                "recommendations": Counter(
                    Recommendation.objects.filter(network=lahp).values_list("status", flat=True)
                ),
                "introduced_pairs": {
                    frozenset(pair)
                    for pair in Recommendation.objects.filter(
                        network=lahp, status="introduced"
                    ).values_list("person__email", "suggested__email")
                },
                "member_open": Recommendation.objects.filter(
                    network=lahp, person=member, status="open"
                ).count(),
                "runs": list(
                    RecommendationRun.objects.filter(network=lahp).values_list(
                        "status", "requested_by__email", "recommendations"
                    )
                ),
                "report": weaving_report(access=access_for(lead.user, lahp)),
            }
            transaction.set_rollback(True)
    return facts


class DemoSeasonTests:
    def test_the_season_has_every_ending_an_introduction_can_have(self, demo) -> None:
        intros = demo["season"]
        statuses = Counter(item["status"] for item in intros)
        assert 25 <= len(intros) <= 40
        assert 15 <= statuses["accepted"] <= 24
        assert 3 <= statuses["declined"] <= 8
        assert 2 <= statuses["expired"] <= 6
        assert 1 <= statuses["withdrawn"] <= 3
        assert 3 <= statuses["proposed"] <= 8
        outcomes = Counter(item["outcome"] for item in intros if item["status"] == "accepted")
        assert outcomes["collaborated"] >= 3
        assert outcomes["in_touch"] >= 2
        assert outcomes["no_contact"] >= 1
        assert outcomes[""] >= 2
        # Mostly the coordinators' doing (both of them), some asked for by members.
        proposers = Counter(item["proposer"] for item in intros)
        assert proposers[demo["lead"]] > len(intros) / 3
        assert len(set(proposers) - {"member"}) == 2
        assert proposers["member"] >= 4
        # Made from the board (a withdrawn one's suggestion went back to it, and was recomputed).
        assert all(item["recommended"] for item in intros if item["status"] != "withdrawn")
        assert sum(bool(item["note"]) for item in intros) >= len(intros) / 2

    def test_its_dates_are_spread_over_six_months_and_agree_with_its_state(self, demo) -> None:
        now, intros = demo["now"], demo["season"]
        created = [item["created_at"] for item in intros]
        assert now - timedelta(days=185) <= min(created) <= now - timedelta(days=150)
        assert max(created) < now - timedelta(days=1)
        assert len({(when.year, when.month) for when in created}) >= 6
        follow_up = timedelta(days=settings.NETWEAVE_INTRODUCTION_FOLLOW_UP_DAYS)
        for item in intros:
            assert item["created_at"] < item["expires_at"]
            for field in ("a_answered_at", "b_answered_at", "decided_at", "outcome_at"):
                if item[field] is not None:
                    assert item["created_at"] <= item[field] < now, (field, item)
            if item["status"] == "proposed":
                assert item["decided_at"] is None and item["expires_at"] > now
                assert "pending" in (item["a_answer"], item["b_answer"])
            else:
                assert item["decided_at"] is not None
            if item["status"] == "accepted":
                assert item["a_answer"] == item["b_answer"] == "accepted"
                tie = item["tie"]
                assert tie is not None and tie.kind == "introduced"
                assert tie.observed_at == item["decided_at"]
                assert item["follow_up_due_at"] == item["decided_at"] + follow_up
                if item["follow_up_sent_at"] is not None:
                    assert item["follow_up_sent_at"] == item["follow_up_due_at"] <= now
                elif not item["outcome"]:
                    assert item["follow_up_due_at"] > now, "a follow-up is owed"
                if item["outcome"]:
                    assert item["decided_at"] < item["outcome_at"]
                assert (item["collaboration"] is not None) == (item["outcome"] == "collaborated")
            else:
                assert item["tie"] is None and not item["outcome"]
            if item["status"] == "declined":
                assert "declined" in (item["a_answer"], item["b_answer"])
            if item["status"] == "expired":
                assert item["decided_at"] >= item["expires_at"]
                assert "pending" in (item["a_answer"], item["b_answer"])
        # Some follow-ups were answered, some not yet due.
        accepted = [item for item in intros if item["status"] == "accepted"]
        assert any(item["follow_up_sent_at"] for item in accepted)
        assert any(item["follow_up_due_at"] > now for item in accepted)

    def test_the_mails_of_the_story_are_recorded_as_sent(self, demo) -> None:
        for item in demo["season"]:
            for side in ("a", "b"):
                asked_by_asking = item[f"{side}_answered_at"] == item["created_at"]
                assert (item[f"{side}_asked_at"] is None) == asked_by_asking, item
            if item["status"] == "accepted":
                assert item["introduced_mail_at"] is not None
            elif item["status"] != "proposed":
                assert item["closed_mail_at"] is not None

    def test_the_member_account_has_an_introduction_to_answer_and_suggestions(self, demo) -> None:
        mine = [item for item in demo["season"] if data.MEMBER_EMAIL in (item["a"], item["b"])]
        waiting = [item for item in mine if item["status"] == "proposed"]
        assert len(waiting) == 1
        (item,) = waiting
        side = "a" if item["a"] == data.MEMBER_EMAIL else "b"
        other = "b" if side == "a" else "a"
        assert item[f"{side}_answer"] == "pending"
        assert item[f"{other}_answer"] == "accepted"
        assert item["proposer"] == demo["lead"]
        assert any(i["status"] == "accepted" and i["outcome"] == "collaborated" for i in mine)
        assert demo["member_open"] >= 1

    def test_newcomers_joined_lately_with_at_most_one_tie_and_full_profiles(self, demo) -> None:
        planned = {p.email for p in newcomer_plan()}
        newcomers = demo["newcomers"]
        assert planned <= set(newcomers)
        for email in planned:
            assert newcomers[email]["partners"] <= 1, email
            assert newcomers[email]["profile"], email
        assert {newcomers[email]["partners"] for email in planned} == {0, 1}
        assert any(newcomers[email]["newcomer_goal"] for email in planned)
        # One of them was introduced already, another waits for an answer.
        introduced = {
            email for item in demo["season"] for email in (item["a"], item["b"]) if email in planned
        }
        assert len(introduced) >= 2

    def test_todays_suggestions_are_computed_and_introduced_pairs_put_away(self, demo) -> None:
        assert demo["recommendations"]["open"] > 300
        assert [(status, by) for status, by, _count in demo["runs"]] == [("done", demo["lead"])]
        assert demo["runs"][0][2] > 300
        pairs = {frozenset({item["a"], item["b"]}) for item in demo["season"]}
        withdrawn = {
            frozenset({item["a"], item["b"]})
            for item in demo["season"]
            if item["status"] == "withdrawn"
        }
        assert demo["introduced_pairs"] <= pairs
        assert demo["introduced_pairs"] & withdrawn == set()

    def test_the_weaving_report_reads_the_season(self, demo) -> None:
        report, intros = demo["report"], demo["season"]
        totals = report["totals"]
        assert totals["proposed"] == len(intros)
        assert 0.5 < totals["acceptance_rate"] < 0.9
        assert 0.2 < totals["collaboration_rate"] < 0.8
        assert len(report["activity"]) >= 6
        assert all(month["proposed"] for month in report["activity"])
        # Waves 1 to 2 and 2 to 3 of the survey demo; the season falls into the second span.
        first, last = report["snapshots"]
        assert first["introductions"] == 0
        assert last["introductions"] >= 10


class DemoMailTests:
    def test_no_mail_is_left_for_a_worker_to_send_after_the_load(self, smtp_server) -> None:
        demo_load()
        run = RecommendationRun.objects.get(network__slug="lahp")
        # What `netweave serve`'s worker would run: every task the services queued, and the
        # daily sweep.
        for introduction in Introduction.objects.all():
            assert send_introduction_requests.call(introduction.pk) == 0
            assert send_introduction_update.call(introduction.pk, "introduced") == 0
            assert send_introduction_update.call(introduction.pk, "closed") == 0
            assert introduction_check.call(introduction.pk) is False
        assert weaving_daily.call() == {"expired": 0, "follow_ups": 0}
        assert compute_recommendations.call(run.pk) == run.recommendations
        assert smtp_server.messages == [] and mail.outbox == []


def fingerprint() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    intros = sorted(
        tuple(
            (key, value)
            for key, value in item.items()
            if key not in ("tie", "collaboration", "details")
        )
        for item in season()
    )
    suggestions = sorted(
        Recommendation.objects.filter(network__slug="lahp").values_list(
            "person__email", "suggested__email", "status", "goals", "rank"
        )
    )
    return intros, suggestions


class DemoReloadTests:
    def test_removing_the_demo_removes_the_season_and_loading_again_tells_it_again(self) -> None:
        demo_load(today=timezone.localdate())
        before = fingerprint()
        demo_remove()
        assert not Introduction.objects.exists()
        assert not Recommendation.objects.exists()
        assert not RecommendationRun.objects.exists()
        assert not Person.objects.filter(email__in=[p.email for p in newcomer_plan()]).exists()
        demo_load(today=timezone.localdate())
        assert fingerprint() == before
