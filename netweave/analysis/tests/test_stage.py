"""The structure stage: synthetic archetypes of each stage, the real networks, and the rules."""

from __future__ import annotations

import pytest

from netweave.analysis import network_report, read_edge_csv, read_graphml, stage_of
from netweave.analysis.stage import (
    CONNECTED_PAIRS_MIN,
    DOMINANT_BROKERAGE,
    STAGES,
    structure_stage,
)
from netweave.analysis.tests.archetypes import ARCHETYPES
from netweave.analysis.tests.conftest import PANEL, shared


class ArchetypeStageTests:
    @pytest.mark.parametrize("stage", list(ARCHETYPES))
    @pytest.mark.parametrize("seed", range(12))
    def test_each_archetype_is_recognised(self, stage, seed):
        found = stage_of(ARCHETYPES[stage](seed))
        assert found["name"] == stage, found
        assert found["label"] == STAGES[stage]
        assert found["reasons"] and all(reason.endswith(".") for reason in found["reasons"])

    def test_the_hub_and_spoke_reason_names_the_weaver_and_what_they_hold(self):
        found = stage_of(ARCHETYPES["hub-and-spoke"](0))
        assert "weaver" in found["reasons"][0]
        assert found["figures"]["top_brokerage"] >= DOMINANT_BROKERAGE

    def test_the_fragments_reason_gives_the_share_of_pairs_that_can_meet(self):
        found = stage_of(ARCHETYPES["fragments"](0))
        assert found["figures"]["connectedness"] < CONNECTED_PAIRS_MIN
        assert f"{found['figures']['connectedness']:.0%}" in found["reasons"][0]


class RealNetworkStageTests:
    """Stages that the literature on these networks supports (docs/analysis.md)."""

    def test_zacharys_club_with_its_two_leaders_is_multi_hub(self):
        found = stage_of(read_graphml(shared("networks", "zachary_karate", "karate.graphml")))
        assert found["name"] == "multi-hub"
        assert "0" in found["reasons"][0] and "33" in found["reasons"][0]

    def test_the_florentine_marriages_hang_on_the_medici(self):
        found = stage_of(
            read_graphml(shared("networks", "padgett_florentine", "flo_marriage.graphml"))
        )
        assert found["name"] == "hub-and-spoke"
        assert "Medici" in found["reasons"][0]

    def test_les_miserables_revolves_around_valjean(self):
        found = stage_of(
            read_graphml(shared("formats", "graphml", "igraphdata_lesmis", "lesmis.graphml"))
        )
        assert found["name"] == "hub-and-spoke"
        assert "Valjean" in found["reasons"][0]

    @pytest.mark.parametrize(
        ("folder", "name"),
        [
            ("krackhardt_hightech", "ht_advice"),
            ("lazega_lawfirm", "law_cowork"),
            ("lazega_lawfirm", "law_advice"),
        ],
    )
    def test_advice_and_cowork_in_firms_are_core_periphery(self, folder, name):
        found = stage_of(read_graphml(shared("networks", folder, f"{name}.graphml")))
        assert found["name"] == "core-periphery"

    def test_the_florentine_business_ties_are_scattered(self):
        found = stage_of(
            read_graphml(shared("networks", "padgett_florentine", "flo_business.graphml"))
        )
        assert found["name"] == "fragments"

    def test_the_teenage_friendships_are_scattered_in_every_wave(self):
        shared("networks", "panels", "s50_teenage_friends")
        for wave in (1, 2, 3):
            graph = read_edge_csv(
                PANEL / f"s50-wave{wave}_edges.csv",
                directed=True,
                nodes=PANEL / "s50_alcohol_by_wave.csv",
            )
            assert stage_of(graph)["name"] == "fragments", wave


def facts(**changes):
    base = {
        "nodes": 40,
        "edges": 80,
        "density": 0.1,
        "connectedness": 1.0,
        "components": 1,
        "largest_component": 40,
        "isolates": 0,
        "hubs": [],
        "brokers": [("Ana", 0.1), ("Ben", 0.09)],
        "core_size": 2,
        "core_density": 1.0,
        "periphery_density": 0.1,
        "core_correlation": 0.2,
        "worst_cut": None,
        "hub_threshold": 8.0,
    }
    base.update(changes)
    return structure_stage(**base)


class StageRuleTests:
    def test_no_ties_is_fragments(self):
        assert facts(edges=0, connectedness=0.0)["rule"] == 1

    def test_connectedness_just_below_half_is_fragments_and_at_half_is_not(self):
        assert facts(connectedness=0.4999)["rule"] == 2
        assert facts(connectedness=0.5)["rule"] != 2

    def test_a_dominant_broker_needs_both_share_and_lead(self):
        assert facts(brokers=[("Ana", 0.4), ("Ben", 0.26)])["name"] == "hub-and-spoke"
        assert facts(brokers=[("Ana", 0.4), ("Ben", 0.27)])["rule"] != 3
        assert facts(brokers=[("Ana", 0.39), ("Ben", 0.0)])["rule"] != 3

    def test_a_strong_core_beats_busy_hubs_only_when_it_is_more_than_the_hubs(self):
        hubs = [("Ana", 20, 0.3), ("Ben", 18, 0.25)]
        strong = {"core_size": 5, "core_density": 0.9, "core_correlation": 0.7}
        assert facts(hubs=hubs, **strong)["rule"] == 4
        assert facts(hubs=hubs, **{**strong, "core_size": 4})["rule"] == 5
        assert facts(hubs=hubs, **{**strong, "core_correlation": 0.59})["rule"] == 5

    def test_a_weaker_core_still_counts_when_no_hubs_carry_the_network(self):
        assert facts(core_size=6, core_density=0.5, core_correlation=0.35)["rule"] == 6
        assert facts(core_size=6, core_density=0.49, core_correlation=0.9)["rule"] != 6

    def test_a_dense_even_network_is_all_core(self):
        assert facts(density=0.5)["name"] == "core-periphery"

    def test_hubs_without_a_core_decide_between_multi_hub_and_hub_and_spoke(self):
        assert facts(hubs=[("Ana", 9, 0.1), ("Ben", 9, 0.1)])["rule"] == 8
        assert facts(hubs=[("Ana", 9, 0.1)])["rule"] == 9

    def test_a_fragile_network_without_hubs_is_fragments_and_a_robust_one_a_small_world(self):
        assert facts(worst_cut=("Ana", 4))["rule"] == 10
        assert facts(worst_cut=("Ana", 3))["rule"] == 11
        assert facts()["name"] == "multi-hub"


def test_the_report_carries_the_stage_and_its_figures():
    report = network_report(ARCHETYPES["core-periphery"](1))
    stage = report["stage"]
    assert stage["name"] == "core-periphery"
    assert stage["figures"]["core_size"] == len(report["core_periphery"]["core"])
    assert stage["figures"]["core_correlation"] == report["core_periphery"]["correlation"]
