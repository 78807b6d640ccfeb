"""Single points of failure and brokers, checked against NetworkX by removing members."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from netweave.analysis import Graph, brokers, single_points_of_failure
from netweave.analysis.communities import community_array
from netweave.analysis.paths import path_figures, plan_paths
from netweave.analysis.tests.conftest import shared
from netweave.analysis.tests.test_figures import NAMES, undirected


@pytest.fixture(scope="module")
def networks():
    from netweave.analysis.tests.test_figures import real_networks

    shared("networks")
    return {name: (ours, theirs) for name, ours, theirs in real_networks()}


def cut_off_by_removal(graph: nx.Graph, node) -> int:
    """Members of the node's component left outside the largest piece once it is gone."""
    component = nx.node_connected_component(graph, node)
    rest = graph.subgraph(component - {node})
    largest = max((len(piece) for piece in nx.connected_components(rest)), default=0)
    return len(component) - 1 - largest


class SinglePointOfFailureTests:
    @pytest.mark.parametrize("name", NAMES)
    def test_they_are_networkxs_articulation_points_with_what_each_cuts_off(self, networks, name):
        ours, theirs = networks[name]
        plain = undirected(theirs)
        found = single_points_of_failure(ours)
        assert {point["node"] for point in found} == set(nx.articulation_points(plain))
        for point in found:
            assert point["cuts_off"] == cut_off_by_removal(plain, point["node"])
            rest = plain.subgraph(
                nx.node_connected_component(plain, point["node"]) - {point["node"]}
            )
            assert point["pieces"] == nx.number_connected_components(rest)
        assert [point["cuts_off"] for point in found] == sorted(
            (point["cuts_off"] for point in found), reverse=True
        )

    def test_a_chain_is_fragile_everywhere_but_its_ends(self):
        chain = Graph.from_edges([(i, i + 1) for i in range(6)])
        found = {point["node"]: point["cuts_off"] for point in single_points_of_failure(chain)}
        assert found == {1: 1, 2: 2, 3: 3, 4: 2, 5: 1}

    def test_a_cycle_has_none(self):
        assert (
            single_points_of_failure(Graph.from_edges([(i, (i + 1) % 5) for i in range(5)])) == []
        )


class BrokerTests:
    def test_brokers_reach_other_communities_and_come_by_betweenness(self):
        graph = Graph.from_edges(
            [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")]
        )
        communities, _ = community_array(graph)
        values = path_figures(plan_paths(graph)).betweenness
        found = brokers(graph, betweenness=values, communities=communities)
        assert [broker["node"] for broker in found] == ["c", "x"]
        assert all(broker["communities"] == 2 for broker in found)
        assert found[0]["betweenness"] == pytest.approx(
            nx.betweenness_centrality(
                nx.Graph(
                    [
                        ("a", "b"),
                        ("b", "c"),
                        ("c", "a"),
                        ("x", "y"),
                        ("y", "z"),
                        ("z", "x"),
                        ("c", "x"),
                    ]
                )
            )["c"]
        )

    def test_the_limit_caps_the_list(self):
        graph = Graph.from_edges([(i, i + 1) for i in range(20)])
        communities = np.arange(21)  # everyone their own community
        values = path_figures(plan_paths(graph)).betweenness
        assert len(brokers(graph, betweenness=values, communities=communities, limit=3)) == 3
        assert len(brokers(graph, betweenness=values, communities=communities, limit=None)) == 19
