from datetime import date, datetime, timedelta

import networkx as nx
import pytest
from django.utils import timezone

from netweave.analysis import network_report, read_edge_csv
from netweave.lib.testing import make_member, make_person
from netweave.people.models import Membership
from netweave.people.services import membership_change_status
from netweave.ties.models import Snapshot, Tie
from netweave.ties.services import (
    TieError,
    snapshot_compute,
    snapshot_take,
    tie_add,
    tie_end,
    tie_observe,
    tie_update,
)
from netweave.ties.tests.conftest import KARATE_EDGES


@pytest.mark.django_db
class TieAddTests:
    def test_it_adds_a_manual_tie_between_two_members(self, cast):
        tie = tie_add(
            network=cast.network,
            source=cast.member,
            target=cast.steward,
            kind="collaborates",
            weight=2,
            created_by=cast.coordinator,
        )
        tie.refresh_from_db()
        assert (tie.provenance, tie.weight, tie.created_by) == ("manual", 2.0, cast.coordinator)

    def test_it_rejects_someone_who_is_not_a_member(self, cast):
        with pytest.raises(TieError, match="Una Outsider is not an active member"):
            tie_add(network=cast.network, source=cast.member, target=cast.outsider, kind="knows")
        with pytest.raises(TieError, match="Otto Other"):
            tie_add(
                network=cast.network, source=cast.other_member, target=cast.member, kind="knows"
            )
        assert not Tie.objects.exists()

    def test_it_rejects_a_member_who_left(self, cast):
        membership = Membership.objects.get(network=cast.network, person=cast.steward)
        membership_change_status(membership=membership, status="left", actor=cast.coordinator)
        with pytest.raises(TieError, match="Stella Steward"):
            tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")

    def test_it_rejects_a_tie_to_oneself(self, cast):
        with pytest.raises(TieError, match="two different people"):
            tie_add(network=cast.network, source=cast.member, target=cast.member, kind="knows")

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"kind": "likes"}, "not a kind of tie"),
            ({"weight": 0}, "greater than 0"),
            ({"weight": float("nan")}, "must be a number"),
            ({"provenance": "rumour"}, "not a provenance"),
        ],
    )
    def test_it_rejects_bad_values(self, cast, fields, message):
        values = {"kind": "knows", **fields}
        with pytest.raises(TieError, match=message):
            tie_add(network=cast.network, source=cast.member, target=cast.steward, **values)


@pytest.mark.django_db
class TieUpdateAndEndTests:
    def test_it_changes_only_the_fields_given(self, cast):
        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        tie_update(tie=tie, kind="advice", note="Weekly calls")
        tie.refresh_from_db()
        assert (tie.kind, tie.note, tie.weight) == ("advice", "Weekly calls", 1.0)

    def test_it_refuses_to_move_a_tie_to_other_people(self, cast):
        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        with pytest.raises(TieError, match="source"):
            tie_update(tie=tie, source=cast.coordinator)

    def test_ending_keeps_the_tie_and_its_first_end_date(self, cast):
        tie = tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        tie_end(tie=tie)
        first = tie.ended_at
        tie_end(tie=tie)
        tie.refresh_from_db()
        assert tie.ended_at == first is not None
        assert Tie.objects.count() == 1
        with pytest.raises(TieError, match="has ended"):
            tie_update(tie=tie, weight=3)


@pytest.mark.django_db
class TieObserveTests:
    def test_observing_the_same_evidence_twice_changes_nothing(self, cast):
        first = tie_observe(
            network=cast.network,
            source=cast.member,
            target=cast.steward,
            kind="co_attended",
            evidence="event:12",
        )
        again = tie_observe(
            network=cast.network,
            source=cast.steward,
            target=cast.member,
            kind="co_attended",
            evidence="event:12",
            weight=5,
        )
        assert again.pk == first.pk
        assert Tie.objects.count() == 1
        assert Tie.objects.get().provenance == "observed"
        assert Tie.objects.get().weight == 1.0

    def test_other_evidence_or_kind_makes_another_tie(self, cast):
        args = {"network": cast.network, "source": cast.member, "target": cast.steward}
        tie_observe(**args, kind="co_attended", evidence="event:12")
        tie_observe(**args, kind="co_attended", evidence="event:13")
        tie_observe(**args, kind="co_authored", evidence="event:12")
        assert Tie.objects.count() == 3

    def test_it_still_requires_two_members(self, cast):
        with pytest.raises(TieError):
            tie_observe(
                network=cast.network,
                source=cast.member,
                target=cast.outsider,
                kind="co_attended",
                evidence="event:1",
            )


@pytest.mark.django_db(transaction=True)
class SnapshotComputeTests:
    def test_the_karate_club_snapshot_has_the_figures_of_the_library_and_networkx(self, karate):
        network, people = karate
        snapshot = snapshot_take(network=network, label="Club")
        snapshot.refresh_from_db()  # the task ran on commit (immediate backend)
        assert snapshot.status == Snapshot.Status.DONE, snapshot.error
        expected = network_report(read_edge_csv(KARATE_EDGES), workers=1)
        reference = nx.read_edgelist(KARATE_EDGES, delimiter=",", nodetype=int, comments="s")
        assert (snapshot.node_count, snapshot.edge_count) == (34, 78)
        assert snapshot.density == pytest.approx(nx.density(reference))
        assert snapshot.report["transitivity"] == pytest.approx(0.255682, abs=1e-6)  # KONECT
        for key in (
            "density",
            "transitivity",
            "average_clustering",
            "diameter",
            "average_path_length",
            "degree_assortativity",
        ):
            assert snapshot.report[key] == pytest.approx(expected[key]), key
        assert snapshot.stage == expected["stage"]["name"]
        betweenness = nx.betweenness_centrality(reference)
        for node, person in people.items():
            metrics = snapshot.report["node_metrics"][str(person.pk)]
            assert metrics["betweenness"] == pytest.approx(betweenness[node])
            x, y = snapshot.layout[str(person.pk)]
            assert 0 <= x <= 1 and 0 <= y <= 1
        assert len(snapshot.graph["nodes"]) == 34 and not snapshot.graph["directed"]

    def test_it_freezes_only_live_ties_between_active_members_observed_by_then(self, karate):
        network, people = karate
        tie = Tie.objects.filter(network=network).first()
        tie_end(tie=tie)
        later = timezone.now() + timedelta(days=3)
        extra = tie_add(
            network=network, source=people[0], target=people[33], kind="funds", observed_at=later
        )
        assert extra.pk
        membership = Membership.objects.get(network=network, person=people[11])  # one tie
        membership_change_status(membership=membership, status="lapsed", actor=None)
        snapshot = snapshot_take(network=network, label="Now")
        snapshot.refresh_from_db()
        assert (snapshot.node_count, snapshot.edge_count) == (33, 76)

    def test_several_ties_of_a_pair_become_one_edge_with_their_summed_weight(self, cast):
        for kind, weight in (("knows", 1), ("collaborates", 2.5)):
            tie_add(
                network=cast.network,
                source=cast.member,
                target=cast.steward,
                kind=kind,
                weight=weight,
            )
        tie_add(
            network=cast.network,
            source=cast.steward,
            target=cast.member,
            kind="advice",
            directed=True,
        )
        snapshot = snapshot_take(network=cast.network, label="Cast")
        snapshot.refresh_from_db()
        pair = sorted([cast.member.pk, cast.steward.pk])
        assert snapshot.graph["edges"] == [[*pair, 4.5]]
        assert snapshot.node_count == 4  # observer and coordinator are isolates

    def test_each_edge_keeps_the_kinds_and_first_and_last_days_of_its_ties(self, cast):
        def on(day: date) -> datetime:
            return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 30))

        ties = [
            (cast.member, cast.steward, "knows", date(2025, 3, 1)),
            (cast.steward, cast.member, "collaborates", date(2026, 1, 10)),
            (cast.member, cast.steward, "knows", date(2025, 7, 14)),
            (cast.member, cast.observer, "funds", date(2025, 5, 2)),
        ]
        for source, target, kind, day in ties:
            tie_add(
                network=cast.network, source=source, target=target, kind=kind, observed_at=on(day)
            )
        snapshot = snapshot_compute(snapshot_id=snapshot_take(network=cast.network, label="K").pk)
        graph = snapshot.graph
        assert len(graph["edge_info"]) == len(graph["edges"]) == 2
        assert all(len(edge) == 3 for edge in graph["edges"])  # the analysis reads [s, t, w]
        pairs = [frozenset(edge[:2]) for edge in graph["edges"]]
        info = dict(zip(pairs, graph["edge_info"], strict=True))
        assert info[frozenset((cast.member.pk, cast.steward.pk))] == {
            "kinds": ["collaborates", "knows"],
            "first": "2025-03-01",
            "last": "2026-01-10",
        }
        assert info[frozenset((cast.member.pk, cast.observer.pk))] == {
            "kinds": ["funds"],
            "first": "2025-05-02",
            "last": "2025-05-02",
        }
        filtered = snapshot_take(network=cast.network, label="F", tie_filter={"kinds": ["knows"]})
        filtered = snapshot_compute(snapshot_id=filtered.pk)
        assert filtered.graph["edge_info"] == [
            {"kinds": ["knows"], "first": "2025-03-01", "last": "2025-07-14"}
        ]

    def test_a_tie_filter_keeps_only_those_kinds(self, cast):
        tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        tie_add(network=cast.network, source=cast.member, target=cast.observer, kind="funds")
        snapshot = snapshot_take(
            network=cast.network, label="Funding", tie_filter={"kinds": ["funds"]}
        )
        snapshot.refresh_from_db()
        assert snapshot.edge_count == 1
        with pytest.raises(TieError, match="Unknown kinds"):
            snapshot_take(network=cast.network, label="x", tie_filter={"kinds": ["likes"]})

    def test_computing_again_leaves_a_done_snapshot_alone(self, cast):
        snapshot = snapshot_take(network=cast.network, label="Cast")
        snapshot.refresh_from_db()
        finished = snapshot.finished_at
        tie_add(network=cast.network, source=cast.member, target=cast.steward, kind="knows")
        again = snapshot_compute(snapshot_id=snapshot.pk)
        assert (again.finished_at, again.edge_count) == (finished, 0)

    def test_the_same_graph_gets_the_same_layout(self, karate):
        network, _people = karate
        first = snapshot_take(network=network, label="One")
        second = snapshot_take(network=network, label="Two")
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.layout == second.layout

    def test_a_failure_is_recorded_not_left_running(self, cast, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr("netweave.analysis.network_report", broken)
        snapshot = snapshot_take(network=cast.network, label="Cast")
        snapshot.refresh_from_db()
        assert snapshot.status == Snapshot.Status.FAILED
        assert "disk full" in snapshot.error


@pytest.mark.django_db
class SnapshotTakeTests:
    def test_it_needs_a_label(self, cast):
        with pytest.raises(TieError, match="label"):
            snapshot_take(network=cast.network, label="  ")

    def test_members_of_another_network_never_appear(self, cast):
        make_member(cast.other_network)
        make_person()
        snapshot = snapshot_take(network=cast.network, label="Cast")
        snapshot_compute(snapshot_id=snapshot.pk)
        snapshot.refresh_from_db()
        ids = {node["id"] for node in snapshot.graph["nodes"]}
        assert ids == {cast.coordinator.pk, cast.steward.pk, cast.member.pk, cast.observer.pk}
