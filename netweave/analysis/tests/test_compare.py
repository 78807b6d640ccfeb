"""Comparing snapshots: the s50 survey waves, and changes made on purpose."""

from __future__ import annotations

import pytest

from netweave.analysis import AnalysisError, Graph, compare_snapshots, network_report, read_edge_csv
from netweave.analysis.tests.archetypes import core_periphery, hub_and_spoke
from netweave.analysis.tests.conftest import PANEL, panel_edges, panel_wave, shared


def wave(number: int) -> Graph:
    return read_edge_csv(
        PANEL / f"s50-wave{number}_edges.csv",
        directed=True,
        nodes=PANEL / "s50_alcohol_by_wave.csv",
    )


class SnapshotComparisonTests:
    def test_two_survey_waves_give_the_ties_that_appeared_and_vanished(self):
        shared("networks", "panels", "s50_teenage_friends")
        change = compare_snapshots(wave(1), wave(2))
        first, second = set(panel_edges(1)), set(panel_edges(2))
        assert set(change["new_ties"]) == second - first
        assert set(change["lost_ties"]) == first - second
        assert change["joined"] == change["left"] == []
        density = change["figures"]["density"]
        assert density["before"] == pytest.approx(panel_wave(1).number_of_edges() / (50 * 49))
        assert density["change"] == pytest.approx(3 / (50 * 49))
        assert change["figures"]["edges"] == {"before": 113, "after": 116, "change": 3}

    def test_who_joined_and_who_left(self):
        before = Graph.from_edges([("a", "b"), ("b", "c")], nodes=["d"])
        after = Graph.from_edges([("a", "b"), ("b", "e")])
        change = compare_snapshots(before, after)
        assert change["joined"] == ["e"]
        assert sorted(change["left"]) == ["c", "d"]
        assert change["new_ties"] == [("b", "e")]
        assert change["lost_ties"] == [("b", "c")]

    def test_undirected_ties_match_whichever_way_they_were_written(self):
        before = Graph.from_edges([("a", "b")])
        after = Graph.from_edges([("b", "a")])
        change = compare_snapshots(before, after)
        assert change["new_ties"] == change["lost_ties"] == []

    def test_weaving_a_hub_and_spoke_network_into_a_core_moves_it_forward(self):
        before = hub_and_spoke(3)
        members = list(before.nodes)
        core = [member for member in members if member.endswith("m0")] + ["weaver"]
        woven = Graph.from_edges(
            before.edges() + [(a, b) for i, a in enumerate(core) for b in core[i + 1 :]]
        )
        change = compare_snapshots(before, woven)
        assert change["stage"]["before"] == "hub-and-spoke"
        assert change["stage"]["after"] in ("multi-hub", "core-periphery")
        assert change["stage"]["direction"] == "forward"
        assert change["stage"]["changed"] is True
        after_core = set(network_report(woven)["core_periphery"]["core"])
        before_core = set(network_report(before)["core_periphery"]["core"])
        assert set(change["moved_to_core"]) == after_core - before_core
        assert change["summary"][-1].startswith("The structure moved forward from")

    def test_it_reuses_reports_it_is_given(self):
        before, after = core_periphery(1), core_periphery(2)
        reports = network_report(before), network_report(after)
        change = compare_snapshots(before, after, before_report=reports[0], after_report=reports[1])
        assert change["figures"]["nodes"]["before"] == reports[0]["nodes"]
        assert change["figures"]["modularity"]["after"] == reports[1]["communities"]["modularity"]

    def test_the_summary_says_what_happened_in_plain_words(self):
        before = Graph.from_edges([("a", "b")], nodes=["c"])
        after = Graph.from_edges([("a", "b"), ("b", "c")])
        summary = compare_snapshots(before, after)["summary"]
        assert summary[0] == "Nobody joined or left."
        assert summary[1] == "1 new tie and 0 lost."
        assert summary[2] == "Density rose from 33.3% to 66.7%."

    def test_directed_and_undirected_snapshots_cannot_be_compared(self):
        with pytest.raises(AnalysisError, match="directed snapshot with an undirected one"):
            compare_snapshots(
                Graph.from_edges([("a", "b")]), Graph.from_edges([("a", "b")], directed=True)
            )
