"""Shortest-path figures: exact ones against NetworkX, estimated ones against exact ones."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from netweave.analysis import Graph, average_path_length, diameter, paths, read_graphml
from netweave.analysis.paths import (
    EXACT_BUDGET,
    SAMPLE_BATCH,
    PathJob,
    path_figures,
    plan_paths,
    summarize_errors,
)
from netweave.analysis.tests.conftest import shared
from netweave.analysis.tests.test_figures import NAMES, undirected

FORCE_SAMPLING = {"exact_budget": 0, "sample_budget": 1}


@pytest.fixture(scope="module")
def networks():
    from netweave.analysis.tests.test_figures import real_networks

    shared("networks")
    return {name: (ours, theirs) for name, ours, theirs in real_networks()}


def from_networkx(graph: nx.Graph) -> Graph:
    return Graph.from_edges(graph.edges(), nodes=graph.nodes(), directed=graph.is_directed())


def scale_free(members: int, seed: int) -> Graph:
    return from_networkx(nx.barabasi_albert_graph(members, 4, seed=seed))


class ExactPathFiguresTests:
    @pytest.mark.parametrize("name", NAMES)
    def test_average_path_length_and_diameter_of_the_largest_component_match_networkx(
        self, networks, name
    ):
        ours, theirs = networks[name]
        plain = undirected(theirs)
        largest = plain.subgraph(max(nx.connected_components(plain), key=len))
        assert average_path_length(ours) == pytest.approx(
            nx.average_shortest_path_length(largest), abs=1e-12
        )
        assert diameter(ours) == nx.diameter(largest)

    def test_zacharys_club_has_konects_diameter(self):
        graph = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        assert diameter(graph) == 5

    def test_many_small_fragments_are_searched_in_groups_and_stay_exact(self, monkeypatch):
        monkeypatch.setattr(paths, "GROUP_NODES", 100)
        pieces = nx.disjoint_union_all(
            [nx.path_graph(3 + seed % 7) for seed in range(150)]
            + [nx.barabasi_albert_graph(200, 2, seed=1)]
        )
        pieces.add_nodes_from(range(10_000, 10_050))  # and some isolates
        graph = from_networkx(pieces)
        plan = plan_paths(graph)
        assert plan.exact and len(plan.units) > 5
        figures = path_figures(plan)
        expected = nx.betweenness_centrality(pieces)
        assert (
            max(abs(figures.betweenness[graph.index(v)] - b) for v, b in expected.items()) < 1e-12
        )
        expected = nx.closeness_centrality(pieces)
        assert max(abs(figures.closeness[graph.index(v)] - c) for v, c in expected.items()) < 1e-12
        largest = pieces.subgraph(max(nx.connected_components(pieces), key=len))
        assert figures.diameter == nx.diameter(largest)

    def test_empty_and_single_member_networks(self):
        assert average_path_length(Graph.from_edges([])) is None
        assert diameter(Graph.from_edges([])) is None
        assert average_path_length(Graph.from_edges([], nodes=["a"])) == 0.0
        assert diameter(Graph.from_edges([], nodes=["a"])) == 0


class PathPlanTests:
    def test_the_budget_decides_between_exact_and_estimated(self):
        graph = scale_free(400, seed=1)
        cost = 400 * (400 + graph.number_of_edges())
        assert plan_paths(graph, exact_budget=cost).exact
        plan = plan_paths(graph, exact_budget=cost - 1, sample_budget=1)
        assert not plan.exact
        assert plan.samples % SAMPLE_BATCH == 0 and plan.samples >= 64

    def test_the_default_budget_keeps_five_thousand_members_exact(self):
        members, ties = 5_000, 55_000
        assert members * (members + ties) <= EXACT_BUDGET

    def test_the_same_seed_draws_the_same_pivots(self):
        graph = scale_free(400, seed=2)
        first = plan_paths(graph, seed=7, **FORCE_SAMPLING).units[0].sources
        again = plan_paths(graph, seed=7, **FORCE_SAMPLING).units[0].sources
        other = plan_paths(graph, seed=8, **FORCE_SAMPLING).units[0].sources
        assert np.array_equal(first, again)
        assert not np.array_equal(first, other)


def within(estimate, exact, error, sigmas):
    return np.abs(estimate - exact) <= sigmas * error + 1e-12


@pytest.fixture(scope="module")
def network():
    graph = scale_free(3_000, seed=3)
    exact = path_figures(plan_paths(graph), skeleton=True)
    plan = plan_paths(graph, min_samples=256, **FORCE_SAMPLING)
    estimated = path_figures(plan, skeleton=True)
    return graph, exact, plan, estimated


class EstimatedPathFiguresTests:
    """Estimates from pivots land within their reported errors of the exact values."""

    def test_betweenness_of_the_top_members_is_within_its_standard_errors(self, network):
        _graph, exact, _plan, estimated = network
        top = np.argsort(-exact.betweenness)[:100]
        ok = within(
            estimated.betweenness[top], exact.betweenness[top], estimated.betweenness_error[top], 3
        )
        assert ok.mean() >= 0.85
        relative = (
            np.abs(estimated.betweenness[top] - exact.betweenness[top]) / (exact.betweenness[top])
        )
        assert np.median(relative) < 0.15

    def test_the_total_of_betweenness_is_unbiased(self, network):
        _, exact, _, estimated = network
        assert estimated.betweenness.sum() == pytest.approx(exact.betweenness.sum(), rel=0.03)

    def test_closeness_average_path_length_and_diameter_are_close(self, network):
        _graph, exact, plan, estimated = network
        relative = np.abs(estimated.closeness - exact.closeness) / exact.closeness
        assert relative.max() < 0.05
        reported = summarize_errors(plan, estimated)
        assert np.percentile(relative, 95) <= 3 * reported["closeness"]["relative_error"]
        assert within(
            estimated.average_path_length,
            exact.average_path_length,
            estimated.average_path_length_error,
            4,
        )
        lower, upper = estimated.diameter_bounds
        assert lower <= exact.diameter <= upper
        assert estimated.diameter == lower

    def test_the_report_says_what_was_estimated(self, network):
        graph, _, plan, estimated = network
        reported = summarize_errors(plan, estimated)
        assert set(reported) == {"betweenness", "closeness", "average_path_length", "diameter"}
        assert reported["betweenness"]["samples"] == 256
        assert reported["betweenness"]["of"] == graph.number_of_nodes()
        assert 0 < reported["betweenness"]["relative_error"] < 0.5
        assert summarize_errors(plan_paths(graph), estimated) == {}

    def test_a_directed_network_is_estimated_too(self):
        directed = nx.gnm_random_graph(1_500, 9_000, seed=4, directed=True)
        graph = from_networkx(directed)
        exact = path_figures(plan_paths(graph), skeleton=True)
        estimated = path_figures(
            plan_paths(graph, min_samples=384, **FORCE_SAMPLING), skeleton=True
        )
        top = np.argsort(-exact.betweenness)[:100]
        ok = within(
            estimated.betweenness[top], exact.betweenness[top], estimated.betweenness_error[top], 3
        )
        assert ok.mean() >= 0.85
        reached = exact.closeness > 0
        relative = (
            np.abs(estimated.closeness[reached] - exact.closeness[reached])
            / (exact.closeness[reached])
        )
        assert np.median(relative) < 0.05
        top = np.argsort(-exact.brokerage)[:50]
        relative = np.abs(estimated.brokerage[top] - exact.brokerage[top]) / exact.brokerage[top]
        assert np.median(relative) < 0.2
        assert estimated.average_path_length == pytest.approx(exact.average_path_length, rel=0.02)

    def test_a_long_chain_falls_back_to_igraph_searches_from_the_same_pivots(self):
        chain = from_networkx(nx.path_graph(400))
        exact = path_figures(plan_paths(chain))
        estimated = path_figures(plan_paths(chain, **FORCE_SAMPLING))
        assert estimated.fallback_units == 1
        lower, upper = estimated.diameter_bounds
        assert lower == exact.diameter == 399 <= upper
        assert estimated.betweenness.sum() == pytest.approx(exact.betweenness.sum(), rel=0.1)
        middle = 200
        assert estimated.betweenness[middle] == pytest.approx(exact.betweenness[middle], rel=0.2)


class ParallelSearchTests:
    def test_worker_processes_give_the_same_figures(self):
        graph = scale_free(1_500, seed=5)
        for options in ({}, {"min_samples": 128, **FORCE_SAMPLING}):
            alone = path_figures(plan_paths(graph, **options), workers=1)
            plan = plan_paths(graph, **options)
            plan.parallel_worth_it = True  # small, but make it fork
            job = PathJob(plan, workers=2)
            assert job.children, "a worker process should have started"
            together = job.result()
            assert np.allclose(together.betweenness, alone.betweenness, rtol=1e-6, atol=1e-12)
            assert np.allclose(together.closeness, alone.closeness)
            assert together.average_path_length == pytest.approx(alone.average_path_length)
