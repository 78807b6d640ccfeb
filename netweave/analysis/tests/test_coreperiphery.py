"""The Borgatti-Everett core/periphery fit: its correlation, checked by hand, and its quality."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from netweave.analysis import Graph, core_periphery, coreperiphery, read_graphml
from netweave.analysis.tests.conftest import shared
from netweave.analysis.tests.test_figures import NAMES, undirected


@pytest.fixture(scope="module")
def networks():
    from netweave.analysis.tests.test_figures import real_networks

    shared("networks")
    return {name: (ours, theirs) for name, ours, theirs in real_networks()}


def correlation_by_hand(graph: nx.Graph, core: set) -> float:
    """Pearson's r between the adjacency matrix and the ideal pattern, over core-core and
    periphery-periphery pairs (ties between core and periphery left out), with NumPy."""
    nodes = list(graph.nodes)
    data, ideal = [], []
    for a, b in itertools.combinations(nodes, 2):
        if (a in core) != (b in core):
            continue
        data.append(1.0 if graph.has_edge(a, b) else 0.0)
        ideal.append(1.0 if a in core else 0.0)
    if np.std(data) == 0 or np.std(ideal) == 0:
        return float("nan")  # undefined: the fit cannot be computed for this split
    return float(np.corrcoef(data, ideal)[0, 1])


def best_by_brute_force(graph: nx.Graph) -> float:
    """The best correlation over every split of a small network into core and periphery:
    Pearson's textbook formula on the considered pairs of each split, all splits at once."""
    nodes = list(graph.nodes)
    n = len(nodes)
    adjacency = nx.to_numpy_array(graph, nodelist=nodes)
    first, second = np.triu_indices(n, 1)
    tied = adjacency[first, second]
    masks = np.arange(1, 2**n - 1)
    in_core = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    both = in_core[:, first] & in_core[:, second]
    considered = both | (~in_core[:, first] & ~in_core[:, second])
    count = considered.sum(axis=1).astype(float)
    sum_x = (considered * tied).sum(axis=1)
    sum_y = both.sum(axis=1).astype(float)
    sum_xy = (both * tied).sum(axis=1)
    spread = (count * sum_x - sum_x**2) * (count * sum_y - sum_y**2)
    defined = spread > 0
    r = (count * sum_xy - sum_x * sum_y)[defined] / np.sqrt(spread[defined])
    return float(r.max())


class CorePeripheryTests:
    @pytest.mark.parametrize("name", NAMES)
    def test_the_reported_correlation_is_the_fit_of_the_reported_core(self, networks, name):
        ours, theirs = networks[name]
        fit = core_periphery(ours)
        plain = undirected(theirs)
        assert fit["correlation"] == pytest.approx(
            correlation_by_hand(plain, set(fit["core"])), abs=1e-9
        )
        core = plain.subgraph(fit["core"])
        assert fit["core_density"] == pytest.approx(nx.density(core))

    @pytest.mark.parametrize("name", NAMES)
    def test_no_single_move_improves_the_fit(self, networks, name):
        ours, theirs = networks[name]
        plain = undirected(theirs)
        fit = core_periphery(ours)
        core = set(fit["core"])
        for node in plain.nodes:
            moved = core ^ {node}
            value = correlation_by_hand(plain, moved)
            if not np.isnan(value):
                assert value <= fit["correlation"] + 1e-4

    @pytest.mark.parametrize("search", ["exhaustive", "heuristic"])
    @pytest.mark.parametrize("name", ["flo_marriage", "flo_business"])
    def test_it_finds_the_best_split_of_the_florentine_networks(self, monkeypatch, search, name):
        if search == "heuristic":
            monkeypatch.setattr(coreperiphery, "EXHAUSTIVE_LIMIT", 0)
        path = shared("networks", "padgett_florentine", f"{name}.graphml")
        fit = core_periphery(read_graphml(path))
        assert fit["correlation"] == pytest.approx(best_by_brute_force(nx.read_graphml(path)))

    def test_the_heuristic_nearly_always_finds_the_best_split_of_random_networks(self, monkeypatch):
        monkeypatch.setattr(coreperiphery, "EXHAUSTIVE_LIMIT", 0)
        gaps = []
        for seed in range(40):
            random = nx.gnp_random_graph(12 + seed % 6, 0.2 + 0.03 * (seed % 7), seed=seed)
            graph = Graph.from_edges(random.edges(), nodes=random.nodes())
            gaps.append(best_by_brute_force(random) - core_periphery(graph)["correlation"])
        gaps = np.array(gaps)
        assert gaps.min() > -1e-9  # never better than the optimum: the fit is computed right
        assert (gaps < 1e-9).mean() >= 0.9
        assert gaps.max() < 0.03

    def test_it_recovers_a_planted_core(self):
        rng = np.random.default_rng(1)
        core = [f"c{i}" for i in range(8)]
        ties = list(itertools.combinations(core, 2))
        for member in range(30):
            for partner in rng.choice(core, size=2, replace=False):
                ties.append((f"p{member}", str(partner)))
        fit = core_periphery(Graph.from_edges(ties))
        assert set(fit["core"]) == set(core)
        assert fit["core_density"] == 1.0
        assert fit["periphery_density"] == 0.0

    def test_it_has_nothing_to_say_about_tiny_or_empty_networks(self):
        assert core_periphery(Graph.from_edges([("a", "b")]))["correlation"] is None
        assert core_periphery(Graph.from_edges([], nodes="abcdef"))["correlation"] is None
