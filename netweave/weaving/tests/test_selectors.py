"""The weaving board and the weaving report, read from introductions made through the services
(with `now=`, so their dates are the story's) and from snapshots the task backend computes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied

from netweave.lib.testing import Cast, make_member
from netweave.networks.permissions import access_for
from netweave.people.models import Person, Role
from netweave.ties.models import Snapshot, Tie
from netweave.ties.services import snapshot_take, tie_add
from netweave.weaving.models import Goal, Introduction, Recommendation
from netweave.weaving.selectors import (
    goal_counts,
    recommendations_for_board,
    recommendations_for_member,
    snapshot_effects,
    weaving_report,
)
from netweave.weaving.services import (
    introduction_answer,
    introduction_expire,
    introduction_propose,
    introduction_record_outcome,
    introduction_withdraw,
    recommendations_compute,
)
from netweave.weaving.tests.test_services import Small

pytestmark = pytest.mark.django_db


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=UTC)


# --- the board -----------------------------------------------------------------------------------


@pytest.fixture
def small() -> Small:
    built = Small()
    recommendations_compute(network=built.network)
    return built


def coordinator_access(small: Small):  # type: ignore[no-untyped-def]
    return access_for(small.coordinator.user, small.network)


class BoardTests:
    def test_it_lists_each_pair_once_best_first(self, small) -> None:
        rows = list(recommendations_for_board(access=coordinator_access(small)))
        pairs = [frozenset({row.person_id, row.suggested_id}) for row in rows]
        assert rows and len(pairs) == len(set(pairs))
        every_pair = {
            frozenset(pair)
            for pair in Recommendation.objects.filter(network=small.network).values_list(
                "person_id", "suggested_id"
            )
        }
        assert set(pairs) == every_pair
        scores = [row.score for row in rows]
        assert scores == sorted(scores, reverse=True)
        assert not any(row.is_mirror for row in rows)

    def test_the_goal_filter_and_the_counts_agree(self, small) -> None:
        access = coordinator_access(small)
        counts = goal_counts(access=access)
        assert counts[""] == recommendations_for_board(access=access).count()
        for goal in Goal.values:
            rows = list(recommendations_for_board(access=access, goal=goal))
            assert counts[goal] == len(rows)
            assert all(goal in row.goal_list for row in rows)
        assert counts[Goal.BRIDGE] > 0
        with pytest.raises(ValueError):
            list(recommendations_for_board(access=access, goal="everything"))

    def test_a_name_query_keeps_the_pairs_of_that_person(self, small) -> None:
        rows = list(recommendations_for_board(access=coordinator_access(small), query=" gus "))
        gus = small["gus"].pk
        assert rows and all(gus in (row.person_id, row.suggested_id) for row in rows)

    def test_dismissed_and_introduced_pairs_leave_the_board(self, small) -> None:
        access = coordinator_access(small)
        row = recommendations_for_board(access=access).first()
        assert row is not None
        introduction_propose(
            network=small.network,
            proposed_by=small.coordinator,
            person_a=row.person,
            person_b=row.suggested,
            recommendation=row,
        )
        remaining = list(recommendations_for_board(access=access))
        assert row.pk not in {r.pk for r in remaining}
        assert goal_counts(access=access)[""] == len(remaining)

    def test_the_board_is_for_coordinators(self, small) -> None:
        access = access_for(small["ana"].user, small.network)
        with pytest.raises(PermissionDenied):
            recommendations_for_board(access=access)
        with pytest.raises(PermissionDenied):
            goal_counts(access=access)

    def test_the_board_reads_in_a_fixed_number_of_queries(
        self, small, django_assert_num_queries
    ) -> None:
        access = coordinator_access(small)
        with django_assert_num_queries(3):  # the rows, then each side's affiliations
            rows = list(recommendations_for_board(access=access))
            for row in rows:
                str(row.person.name) + str(row.suggested.name)
                row.person.primary_affiliation  # noqa: B018
                row.suggested.primary_affiliation  # noqa: B018


class MemberSuggestionsTests:
    def test_a_member_reads_their_own_suggestions_in_their_words(self, small) -> None:
        access = access_for(small["ben"].user, small.network)
        rows = recommendations_for_member(access=access)
        assert rows and all(row.person_id == small["ben"].pk for row in rows)
        first = rows[0]
        assert first.suggested == small["dan"]
        assert "you both work on regulatory pathways" in first.reason_list  # type: ignore[attr-defined]

    def test_a_coordinator_reads_a_member_suggestions_about_both_by_name(self, small) -> None:
        rows = recommendations_for_member(access=coordinator_access(small), person=small["ben"])
        assert "both work on regulatory pathways" in rows[0].reason_list  # type: ignore[attr-defined]

    def test_a_member_cannot_read_someone_else_suggestions(self, small) -> None:
        access = access_for(small["ana"].user, small.network)
        with pytest.raises(PermissionDenied):
            recommendations_for_member(access=access, person=small["ben"])


# --- the report ----------------------------------------------------------------------------------


class Season:
    """Seven introductions over four months (February is empty):

    - Jan: Cora introduces Mina and P1 (both yes, they worked together in March);
      Cora proposes P1 and P2, P2 declines.
    - Mar: Mina asks to meet P2 (yes; in touch); Stella proposes P3 and P4 (expires);
      Cora introduces P4 and P5 (yes; outcome unknown).
    - Apr: Cora proposes P5 and P6 (waiting) and P3 and P6 (withdrawn)."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        network = cast.network
        self.p = [make_member(network, Role.MEMBER, name=f"P{i}") for i in range(7)]
        p, cora, mina = self.p, cast.coordinator, cast.member

        def propose(by: Person, a: Person, b: Person, when: datetime) -> Introduction:
            return introduction_propose(
                network=network, proposed_by=by, person_a=a, person_b=b, now=when
            )

        def accept(introduction: Introduction, when: datetime) -> Introduction:
            for person in (introduction.person_a, introduction.person_b):
                introduction = introduction_answer(
                    introduction=introduction, person=person, accept=True, now=when
                )
            return introduction

        self.mina_p1 = accept(propose(cora, mina, p[1], at(1, 10)), at(1, 15))
        introduction_record_outcome(
            introduction=self.mina_p1, outcome="collaborated", by=mina, now=at(3, 5)
        )
        declined = propose(cora, p[1], p[2], at(1, 20))
        introduction_answer(introduction=declined, person=p[2], accept=False, now=at(1, 22))
        self.mina_p2 = accept(propose(mina, mina, p[2], at(3, 3)), at(3, 6))
        introduction_record_outcome(
            introduction=self.mina_p2, outcome="in_touch", by=p[2], now=at(4, 20)
        )
        expiring = propose(cast.steward, p[3], p[4], at(3, 10))
        assert introduction_expire(introduction=expiring, now=at(4, 1))
        self.p4_p5 = accept(propose(cora, p[4], p[5], at(3, 15)), at(3, 20))
        propose(cora, p[5], p[6], at(4, 2))
        introduction_withdraw(introduction=propose(cora, p[3], p[6], at(4, 3)), now=at(4, 4))


@pytest.fixture
def season(cast: Cast) -> Season:
    return Season(cast)


def take(cast: Cast, label: str, when: datetime, capture) -> Snapshot:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        snapshot = snapshot_take(network=cast.network, label=label, taken_at=when)
    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.DONE, snapshot.error
    return snapshot


class WeavingReportTests:
    def test_it_counts_the_introductions_and_their_rates(self, cast, season) -> None:
        report = weaving_report(access=access_for(cast.coordinator.user, cast.network))
        assert report["totals"] == {
            "proposed": 7,
            "waiting": 1,
            "accepted": 3,
            "declined": 1,
            "expired": 1,
            "withdrawn": 1,
            "collaborated": 1,
            "in_touch": 1,
            "no_contact": 0,
            "outcome_unknown": 1,
            # accepted / (accepted + declined + expired); withdrawn and waiting do not count
            "acceptance_rate": 0.6,
            # collaborated / introductions with a known outcome
            "collaboration_rate": 0.5,
        }

    def test_it_gives_the_activity_month_by_month_with_empty_months(self, cast, season) -> None:
        report = weaving_report(access=access_for(cast.coordinator.user, cast.network))
        assert report["activity"] == [
            {"month": "2026-01", "proposed": 2, "accepted": 1, "collaborated": 0},
            {"month": "2026-02", "proposed": 0, "accepted": 0, "collaborated": 0},
            # the January introduction's collaboration is counted when it was reported
            {"month": "2026-03", "proposed": 3, "accepted": 2, "collaborated": 1},
            {"month": "2026-04", "proposed": 2, "accepted": 0, "collaborated": 0},
        ]

    def test_it_credits_each_proposer_and_members_who_asked(self, cast, season) -> None:
        report = weaving_report(access=access_for(cast.coordinator.user, cast.network))
        proposers = {row["proposer"]: row for row in report["proposers"]}
        assert report["proposers"][0]["proposer"] == "Cora Coordinator"
        assert proposers == {
            "Cora Coordinator": {
                "proposer": "Cora Coordinator",
                "proposed": 5,
                "accepted": 2,
                "collaborated": 1,
            },
            "Stella Steward": {
                "proposer": "Stella Steward",
                "proposed": 1,
                "accepted": 0,
                "collaborated": 0,
            },
            "member": {"proposer": "member", "proposed": 1, "accepted": 1, "collaborated": 0},
        }

    def test_an_empty_network_has_an_empty_report(self, cast) -> None:
        report = weaving_report(access=access_for(cast.coordinator.user, cast.network))
        assert report["totals"]["proposed"] == 0
        assert report["totals"]["acceptance_rate"] is None
        assert report["totals"]["collaboration_rate"] is None
        assert report["activity"] == [] and report["proposers"] == []
        assert report["snapshots"] == []

    def test_the_report_is_for_coordinators(self, cast) -> None:
        with pytest.raises(PermissionDenied):
            weaving_report(access=access_for(cast.member.user, cast.network))

    def test_it_reads_in_a_fixed_number_of_queries(
        self, cast, season, django_assert_num_queries
    ) -> None:
        access = access_for(cast.coordinator.user, cast.network)
        with django_assert_num_queries(2):  # the introductions, the snapshots
            weaving_report(access=access)


class SnapshotEffectsTests:
    def test_it_counts_the_introductions_between_two_snapshots(
        self, cast, season, django_capture_on_commit_callbacks
    ) -> None:
        # Mina and P2 also name each other in a survey before the second snapshot.
        tie_add(
            network=cast.network,
            source=cast.member,
            target=season.p[2],
            kind=Tie.Kind.KNOWS,
            provenance=Tie.Provenance.SURVEY,
            observed_at=at(4, 10),
        )
        before = take(cast, "Before the spring", at(2, 1), django_capture_on_commit_callbacks)
        after = take(cast, "After the spring", at(4, 15), django_capture_on_commit_callbacks)
        # A snapshot still waiting to be computed is left out.
        Snapshot.objects.create(network=cast.network, label="Pending", taken_at=at(5, 1))
        access = access_for(cast.coordinator.user, cast.network)
        intros = list(Introduction.objects.filter(network=cast.network))
        (row,) = snapshot_effects(access=access, introductions=intros)
        assert row["before"] == {
            "id": before.pk,
            "label": "Before the spring",
            "date": "2026-02-01",
        }
        assert row["after"] == {"id": after.pk, "label": "After the spring", "date": "2026-04-15"}
        # Made in between: Mina and P2 (6 March), P4 and P5 (20 March).
        assert row["introductions"] == 2
        assert row["introduced_so_far"] == 3
        # Mina-P1 worked together, Mina-P2 know each other; P4-P5 only have the introduction.
        assert row["tied_beyond_introduction"] == 2
        assert row["ties_before"] == 1 and row["ties_after"] == 3
        figures = {figure["key"]: figure for figure in row["figures"]}
        density = figures["density"]
        assert density["before"] == before.report["density"]
        assert density["after"] == after.report["density"]
        assert density["change"] == pytest.approx(density["after"] - density["before"])
        assert density["change"] > 0
        # Every figure the report shows is one the snapshot's analysis computes.
        assert all(key in after.report for key in figures), set(figures) - set(after.report)
        assert weaving_report(access=access)["snapshots"] == [row]

    def test_one_snapshot_has_nothing_to_compare(
        self, cast, season, django_capture_on_commit_callbacks
    ) -> None:
        take(cast, "Only one", at(4, 15), django_capture_on_commit_callbacks)
        access = access_for(cast.coordinator.user, cast.network)
        assert snapshot_effects(access=access, introductions=[]) == []
