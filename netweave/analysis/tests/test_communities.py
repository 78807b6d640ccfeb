"""Communities (Leiden on modularity): modularity as NetworkX computes it, and stable results."""

from __future__ import annotations

import networkx as nx
import pytest

from netweave.analysis import Graph, detect_communities, modularity, read_graphml
from netweave.analysis.tests.conftest import shared
from netweave.analysis.tests.test_figures import NAMES, undirected


@pytest.fixture(scope="module")
def networks():
    from netweave.analysis.tests.test_figures import real_networks

    shared("networks")
    return {name: (ours, theirs) for name, ours, theirs in real_networks()}


def partition(membership: dict) -> list[set]:
    """Communities as sets of node ids, isolates as groups of one."""
    groups: dict = {}
    for node, community in membership.items():
        groups.setdefault(("c", community) if community is not None else ("i", node), set()).add(
            node
        )
    return list(groups.values())


class CommunityTests:
    @pytest.mark.parametrize("name", NAMES)
    def test_the_reported_modularity_is_networkxs_modularity_of_the_partition(self, networks, name):
        ours, theirs = networks[name]
        found = detect_communities(ours)
        expected = nx.community.modularity(
            undirected(theirs), partition(found["membership"]), weight=None
        )
        assert found["modularity"] == pytest.approx(expected, abs=1e-12)
        assert (
            found["count"]
            == len(found["sizes"])
            == len({c for c in found["membership"].values() if c is not None})
        )
        assert found["sizes"] == sorted(found["sizes"], reverse=True)

    @pytest.mark.parametrize("name", NAMES)
    def test_leiden_does_at_least_as_well_as_networkxs_louvain(self, networks, name):
        ours, theirs = networks[name]
        plain = undirected(theirs)
        louvain = max(
            nx.community.modularity(
                plain, nx.community.louvain_communities(plain, weight=None, seed=seed), weight=None
            )
            for seed in range(5)
        )
        assert detect_communities(ours)["modularity"] >= louvain - 0.01

    def test_zacharys_club_reaches_the_known_best_modularity(self):
        graph = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        # 0.4198 is the optimum found by exact methods (Brandes et al. 2008, "On modularity
        # clustering"); the README lists it too.
        assert detect_communities(graph)["modularity"] == pytest.approx(0.4198, abs=1e-4)

    def test_the_same_seed_gives_the_same_communities(self):
        graph = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        assert detect_communities(graph, seed=3) == detect_communities(graph, seed=3)

    def test_it_leaves_pythons_random_generator_alone(self):
        import random

        graph = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        random.seed(11)
        expected = random.random()
        random.seed(11)
        detect_communities(graph)
        assert random.random() == expected

    def test_isolates_belong_to_no_community(self):
        graph = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a")], nodes=["loner"])
        found = detect_communities(graph)
        assert found["membership"]["loner"] is None
        assert found["count"] == 1

    def test_a_network_without_ties_has_no_modularity(self):
        found = detect_communities(Graph.from_edges([], nodes=["a", "b"]))
        assert found["modularity"] is None
        assert found["count"] == 0

    def test_modularity_of_a_given_partition_matches_networkx(self):
        graph = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        theirs = nx.read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        halves = [[str(i) for i in range(17)], [str(i) for i in range(17, 34)]]
        assert modularity(graph, halves) == pytest.approx(
            nx.community.modularity(theirs, [set(half) for half in halves])
        )
