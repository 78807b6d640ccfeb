"""The full report: every key, plain Python values, determinism, edge cases, the text form."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

from netweave.analysis import Graph, network_report, read_graphml, render_text
from netweave.analysis.report import REPORT_KEYS, REPORT_STEPS
from netweave.analysis.tests.conftest import shared

NODE_KEYS = {"degree", "betweenness", "closeness", "pagerank", "coreness", "community", "role"}


def plain_python(value) -> bool:
    """True when every value inside is a plain Python type (no NumPy scalars or arrays)."""
    if isinstance(value, dict):
        return all(plain_python(key) and plain_python(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return all(plain_python(item) for item in value)
    return value is None or type(value) in (str, int, float, bool)


@pytest.fixture(scope="module")
def karate():
    return read_graphml(shared("networks", "zachary_karate", "karate.graphml"))


class NetworkReportTests:
    def test_it_has_every_key_of_the_contract(self, karate):
        report = network_report(karate)
        required = {
            "nodes", "edges", "directed", "density", "components", "largest_component",
            "isolates", "average_degree", "transitivity", "average_clustering", "diameter",
            "average_path_length", "degree_assortativity", "communities", "core_periphery",
            "stage", "node_metrics",
        }  # fmt: skip
        assert required <= set(report)
        assert "reciprocity" not in report  # undirected
        assert {"count", "modularity"} <= set(report["communities"])
        assert {"core", "correlation"} <= set(report["core_periphery"])
        assert {"name", "reasons"} <= set(report["stage"])
        assert set(report) <= set(REPORT_KEYS)
        assert len(report["node_metrics"]) == 34
        assert all(set(values) >= NODE_KEYS for values in report["node_metrics"].values())

    def test_every_value_is_plain_python_and_json_ready(self, karate):
        report = network_report(karate)
        assert plain_python(report)
        assert json.loads(json.dumps(report, allow_nan=False))["nodes"] == 34

    def test_a_directed_network_reports_reciprocity_and_in_and_out_degrees(self):
        graph = read_graphml(shared("networks", "krackhardt_hightech", "ht_advice.graphml"))
        theirs = nx.read_graphml(shared("networks", "krackhardt_hightech", "ht_advice.graphml"))
        report = network_report(graph)
        assert report["reciprocity"] == pytest.approx(nx.reciprocity(theirs))
        metrics = report["node_metrics"]["0"]
        assert (metrics["in_degree"], metrics["out_degree"]) == (
            theirs.in_degree("0"),
            theirs.out_degree("0"),
        )
        assert metrics["degree"] == theirs.degree("0")

    def test_the_report_figures_are_the_functions_figures(self, karate):
        theirs = nx.read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        report = network_report(karate)
        assert report["density"] == pytest.approx(nx.density(theirs))
        assert report["diameter"] == nx.diameter(theirs)
        expected = nx.betweenness_centrality(theirs)
        assert all(
            report["node_metrics"][node]["betweenness"] == pytest.approx(value)
            for node, value in expected.items()
        )
        assert report["exact"] is True and report["estimated"] == {}

    def test_the_same_network_and_seed_give_the_same_report(self, karate):
        assert network_report(karate, seed=5) == network_report(karate, seed=5)

    def test_progress_is_told_step_by_step(self, karate):
        steps = []
        network_report(karate, progress=steps.append)
        assert steps == list(REPORT_STEPS)

    def test_an_empty_network_and_a_lone_member_still_get_a_report(self):
        empty = network_report(Graph.from_edges([]))
        assert empty["nodes"] == 0 and empty["diameter"] is None
        assert empty["stage"]["name"] == "fragments"
        alone = network_report(Graph.from_edges([], nodes=["a"]))
        assert alone["node_metrics"]["a"]["role"] == "isolate"
        assert alone["node_metrics"]["a"]["community"] is None
        assert plain_python(empty) and plain_python(alone)

    def test_an_estimated_report_says_what_it_estimated(self):
        graph = Graph.from_edges(nx.barabasi_albert_graph(2_000, 3, seed=1).edges())
        report = network_report(graph, exact_budget=0, sample_budget=1, workers=1)
        assert report["exact"] is False
        assert set(report["estimated"]) == {
            "betweenness", "closeness", "average_path_length", "diameter",
        }  # fmt: skip
        assert report["estimated"]["betweenness"]["samples"] == 64
        assert plain_python(report)

    def test_cuts_off_in_node_metrics_matches_the_single_points_of_failure(self, karate):
        report = network_report(karate)
        for point in report["single_points_of_failure"]:
            assert report["node_metrics"][point["node"]]["cuts_off"] == point["cuts_off"]
        points = {point["node"] for point in report["single_points_of_failure"]}
        assert all(
            values["cuts_off"] == 0
            for node, values in report["node_metrics"].items()
            if node not in points
        )


class TextReportTests:
    def test_the_text_report_shows_the_stage_reasons_and_named_members(self):
        graph = read_graphml(shared("networks", "padgett_florentine", "flo_marriage.graphml"))
        labels = {node: graph.label(node) for node in graph.nodes}
        text = render_text(network_report(graph), labels=labels)
        assert text.startswith("Network flo_marriage: 16 members, 20 ties (undirected)")
        assert "Structure stage: Single hub-and-spoke" in text
        assert "Medici" in text
        assert "Isolates (1)\n  Pucci: no ties" in text

    def test_it_lists_estimated_figures_with_their_errors(self):
        graph = Graph.from_edges(nx.barabasi_albert_graph(1_000, 3, seed=1).edges())
        text = render_text(network_report(graph, exact_budget=0, sample_budget=1, workers=1))
        assert "Estimated figures" in text
        assert "betweenness: 64 pivots of 1,000; relative standard error" in text


def test_node_metrics_are_in_node_order(karate):
    report = network_report(karate)
    assert list(report["node_metrics"]) == list(karate.nodes)
    assert np.isclose(sum(values["pagerank"] for values in report["node_metrics"].values()), 1.0)


def test_an_error_midway_stops_the_worker_processes(monkeypatch):
    import multiprocessing

    from netweave.analysis import report as report_module

    def broken(*args, **kwargs):
        raise RuntimeError("communities failed")

    monkeypatch.setattr(report_module, "community_array", broken)
    graph = Graph.from_edges(nx.barabasi_albert_graph(3_000, 4, seed=2).edges())
    with pytest.raises(RuntimeError, match="communities failed"):
        network_report(graph, workers=2)
    assert multiprocessing.active_children() == []
