"""Per-member centrality against NetworkX on every real network, and against published values."""

from __future__ import annotations

import networkx as nx
import pytest

from netweave.analysis import (
    Graph,
    betweenness,
    closeness,
    coreness,
    degree,
    in_degree,
    out_degree,
    pagerank,
    read_graphml,
)
from netweave.analysis.tests.conftest import shared
from netweave.analysis.tests.test_figures import NAMES, undirected


@pytest.fixture(scope="module")
def networks():
    from netweave.analysis.tests.test_figures import real_networks

    shared("networks")
    return {name: (ours, theirs) for name, ours, theirs in real_networks()}


def close(ours: dict, theirs: dict, tolerance: float) -> None:
    assert set(ours) == {str(node) for node in theirs}
    worst = max(abs(ours[str(node)] - value) for node, value in theirs.items())
    assert worst <= tolerance


class CentralityAgainstNetworkxTests:
    @pytest.mark.parametrize("name", NAMES)
    def test_degrees_match(self, networks, name):
        ours, theirs = networks[name]
        assert degree(ours) == dict(theirs.degree())
        if theirs.is_directed():
            assert in_degree(ours) == dict(theirs.in_degree())
            assert out_degree(ours) == dict(theirs.out_degree())

    @pytest.mark.parametrize("name", NAMES)
    def test_betweenness_matches(self, networks, name):
        ours, theirs = networks[name]
        close(betweenness(ours), nx.betweenness_centrality(theirs), 1e-12)

    @pytest.mark.parametrize("name", NAMES)
    def test_closeness_matches(self, networks, name):
        ours, theirs = networks[name]
        close(closeness(ours), nx.closeness_centrality(theirs), 1e-12)

    @pytest.mark.parametrize("name", NAMES)
    def test_pagerank_matches(self, networks, name):
        ours, theirs = networks[name]
        expected = nx.pagerank(theirs, alpha=0.85, weight=None, tol=1e-13, max_iter=10_000)
        close(pagerank(ours), expected, 1e-8)

    @pytest.mark.parametrize("name", NAMES)
    def test_coreness_matches_on_distinct_partners(self, networks, name):
        ours, theirs = networks[name]
        assert coreness(ours) == nx.core_number(undirected(theirs))


class PublishedCentralityTests:
    def test_the_medici_broker_the_florentine_marriages_as_networkx_publishes(self):
        graph = read_graphml(shared("networks", "padgett_florentine", "flo_marriage.graphml"))
        names = {node: graph.label(node) for node in graph.nodes}
        connected = Graph.from_edges(
            [(names[a], names[b]) for a, b in graph.edges()]
        )  # the 15 families with a marriage tie: Pucci left out, as in NetworkX's test
        published = {
            "Acciaiuoli": 0.000,
            "Albizzi": 0.212,
            "Barbadori": 0.093,
            "Bischeri": 0.104,
            "Castellani": 0.055,
            "Ginori": 0.000,
            "Guadagni": 0.255,
            "Lamberteschi": 0.000,
            "Medici": 0.522,
            "Pazzi": 0.000,
            "Peruzzi": 0.022,
            "Ridolfi": 0.114,
            "Salviati": 0.143,
            "Strozzi": 0.103,
            "Tornabuoni": 0.092,
        }
        values = betweenness(connected)
        assert {family: round(value, 3) for family, value in values.items()} == published

    def test_the_southern_women_have_borgatti_and_halgins_bipartite_centralities(self):
        """Our one-mode values, rescaled as Borgatti and Halgin do for two-mode networks."""
        graph = read_graphml(shared("networks", "davis_southern_women", "southern_women.graphml"))
        women = [node for node in graph.nodes if graph.attributes(node)["type"] is False]
        events = [node for node in graph.nodes if graph.attributes(node)["type"] is True]
        total = graph.number_of_nodes()
        degrees, between, near = degree(graph), betweenness(graph), closeness(graph)

        def bipartite(node):
            own, other = (len(women), len(events)) if node in women else (len(events), len(women))
            s, t = divmod(own - 1, other)
            most = (
                other**2 * (s + 1) ** 2 + other * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)
            ) / 2
            raw = between[node] * (total - 1) * (total - 2) / 2  # back to pairs of members
            distances = (total - 1) / near[node]  # connected: closeness is (n - 1) / distances
            return (
                round(degrees[node] / other, 2),
                round(raw / most, 2),
                round((other + 2 * (own - 1)) / distances, 2),
            )

        names = {graph.label(node): node for node in graph.nodes}
        published = {
            "EVELYN": (0.57, 0.10, 0.80),
            "LAURA": (0.50, 0.05, 0.73),
            "THERESA": (0.57, 0.09, 0.80),
            "9/16": (0.78, 0.24, 0.85),  # event E8
            "4/8": (0.67, 0.23, 0.79),  # event E9
        }
        assert {name: bipartite(names[name]) for name in published} == published

    def test_zacharys_two_leaders_have_the_most_ties(self):
        graph = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        ranked = sorted(degree(graph).items(), key=lambda item: -item[1])
        # Actors 34 (the president) and 1 (the instructor): node ids 33 and 0.
        assert [(node, value) for node, value in ranked[:2]] == [("33", 17), ("0", 16)]


class CentralityEdgeCaseTests:
    def test_isolates_have_zero_closeness_and_their_share_of_pagerank(self):
        graph = Graph.from_edges([("a", "b")], nodes=["loner"])
        assert closeness(graph)["loner"] == 0.0
        theirs = nx.Graph([("a", "b")])
        theirs.add_node("loner")
        expected = nx.pagerank(theirs, tol=1e-13, max_iter=10_000)["loner"]
        assert pagerank(graph)["loner"] == pytest.approx(expected, abs=1e-10)

    def test_a_network_without_ties_spreads_pagerank_evenly(self):
        assert pagerank(Graph.from_edges([], nodes=["a", "b"])) == {"a": 0.5, "b": 0.5}

    def test_alpha_must_be_a_probability(self):
        from netweave.analysis import AnalysisError

        with pytest.raises(AnalysisError, match="alpha"):
            pagerank(Graph.from_edges([("a", "b")]), alpha=1.5)
