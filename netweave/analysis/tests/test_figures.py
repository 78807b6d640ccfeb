"""Whole-network figures against NetworkX on every real network, and against published figures."""

from __future__ import annotations

import math
import warnings

import networkx as nx
import pytest

from netweave.analysis import (
    Graph,
    average_clustering,
    average_degree,
    components,
    connectedness,
    degree_assortativity,
    degree_centralization,
    density,
    isolates,
    network_figures,
    read_edge_csv,
    read_graphml,
    reciprocity,
    transitivity,
)
from netweave.analysis.tests.conftest import (
    PANEL,
    graph_id,
    nx_from_graphml,
    panel_wave,
    real_graphml,
    shared,
)


def undirected(graph: nx.Graph) -> nx.Graph:
    return graph.to_undirected() if graph.is_directed() else graph


def nx_assortativity(graph: nx.Graph) -> float | None:
    """NetworkX's value; NaN or infinity (all degrees equal on one side) means undefined."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = nx.degree_assortativity_coefficient(graph)
    except (ZeroDivisionError, ValueError):
        return None
    return None if not math.isfinite(value) else value


def real_networks() -> list[tuple[str, Graph, nx.Graph]]:
    networks = []
    for path in real_graphml():
        networks.append((path.stem, read_graphml(path), nx_from_graphml(path)))
    for wave in (1, 2, 3):
        ours = read_edge_csv(
            PANEL / f"s50-wave{wave}_edges.csv",
            directed=True,
            nodes=PANEL / "s50_alcohol_by_wave.csv",
        )
        networks.append((f"s50-wave{wave}", ours, panel_wave(wave)))
    return networks


@pytest.fixture(scope="module")
def networks():
    shared("networks")
    return real_networks()


NAMES = [path.stem for path in real_graphml()] + ["s50-wave1", "s50-wave2", "s50-wave3"]


class NetworkFiguresAgainstNetworkxTests:
    @pytest.mark.parametrize("name", NAMES)
    def test_every_figure_matches_networkx(self, networks, name):
        _, ours, theirs = next(item for item in networks if item[0] == name)
        plain = undirected(theirs)
        n = theirs.number_of_nodes()
        assert density(ours) == pytest.approx(nx.density(theirs), abs=1e-12)
        if theirs.is_directed():
            assert reciprocity(ours) == pytest.approx(nx.reciprocity(theirs), abs=1e-12)
        else:
            assert reciprocity(ours) is None
        theirs_components = sorted(
            (sorted(component) for component in nx.connected_components(plain)),
            key=lambda component: -len(component),
        )
        assert sorted(map(sorted, components(ours))) == sorted(theirs_components)
        assert [len(c) for c in components(ours)] == [len(c) for c in theirs_components]
        assert set(isolates(ours)) == set(nx.isolates(theirs))
        assert average_degree(ours) == pytest.approx(sum(d for _, d in theirs.degree()) / n)
        assert transitivity(ours) == pytest.approx(nx.transitivity(plain), abs=1e-12)
        assert average_clustering(ours) == pytest.approx(nx.average_clustering(plain), abs=1e-12)
        expected = nx_assortativity(theirs)
        if expected is None:
            assert degree_assortativity(ours) is None
        else:
            assert degree_assortativity(ours) == pytest.approx(expected, abs=1e-9)
        degrees = [d for _, d in plain.degree()]
        freeman = sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2))
        assert degree_centralization(ours) == pytest.approx(freeman)
        pairs = sum(len(c) * (len(c) - 1) for c in nx.connected_components(plain))
        assert connectedness(ours) == pytest.approx(pairs / (n * (n - 1)))

    def test_the_figures_dict_has_them_all(self, networks):
        _, ours, theirs = next(item for item in networks if item[0] == "law_advice")
        figures = network_figures(ours)
        assert figures["nodes"] == theirs.number_of_nodes()
        assert figures["edges"] == theirs.number_of_edges()
        assert figures["directed"] is True
        assert figures["reciprocity"] == pytest.approx(nx.reciprocity(theirs))
        assert figures["components"] == nx.number_weakly_connected_components(theirs)


class PublishedFiguresTests:
    """Figures from the data's README files (KONECT, RSiena, Batagelj, networkdata)."""

    def test_zacharys_club_has_konects_figures(self):
        graph = read_graphml(shared("networks", "zachary_karate", "karate.graphml"))
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (34, 78)
        assert transitivity(graph) == pytest.approx(0.255682, abs=5e-7)
        # Transitivity is 3 x triangles / wedges: KONECT's 45 triangles over 528 wedges.
        assert transitivity(graph) * 528 / 3 == pytest.approx(45)
        assert degree_assortativity(graph) == pytest.approx(-0.475613, abs=5e-7)
        assert max(graph.degree_array()) == 17

    def test_the_s50_waves_have_rsienas_densities_and_reciprocated_ties(self):
        shared("networks", "panels", "s50_teenage_friends")
        waves = {
            wave: read_edge_csv(
                PANEL / f"s50-wave{wave}_edges.csv",
                directed=True,
                nodes=PANEL / "s50_alcohol_by_wave.csv",
            )
            for wave in (1, 2)
        }
        assert round(density(waves[1]), 3) == 0.046
        assert round(density(waves[2]), 3) == 0.047
        assert waves[2].number_of_edges() == 116
        assert reciprocity(waves[2]) * waves[2].number_of_edges() == pytest.approx(70)

    @pytest.mark.parametrize(
        ("name", "arcs"), [("law_cowork", 1104), ("law_friends", 575), ("law_advice", 892)]
    )
    def test_the_law_firm_has_batageljs_arc_counts(self, name, arcs):
        graph = read_graphml(shared("networks", "lazega_lawfirm", f"{name}.graphml"))
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (71, arcs)

    def test_the_florentine_families_have_sixteen_members_and_one_isolate(self):
        marriage = read_graphml(shared("networks", "padgett_florentine", "flo_marriage.graphml"))
        business = read_graphml(shared("networks", "padgett_florentine", "flo_business.graphml"))
        assert (marriage.number_of_nodes(), marriage.number_of_edges()) == (16, 20)
        assert business.number_of_edges() == 15
        assert [marriage.label(node) for node in isolates(marriage)] == ["Pucci"]

    def test_the_high_tech_managers_are_twenty_one(self):
        for name in ("ht_advice", "ht_friends", "ht_reports"):
            graph = read_graphml(shared("networks", "krackhardt_hightech", f"{name}.graphml"))
            assert graph.number_of_nodes() == 21


class EdgeCaseFiguresTests:
    def test_an_empty_network_has_no_undefined_numbers(self):
        figures = network_figures(Graph.from_edges([]))
        assert figures["nodes"] == 0
        assert figures["density"] == 0.0
        assert figures["average_clustering"] is None
        assert figures["degree_assortativity"] is None
        assert figures["connectedness"] is None

    def test_a_network_of_isolates_is_all_components(self):
        figures = network_figures(Graph.from_edges([], nodes=["a", "b", "c"]))
        assert figures["components"] == 3
        assert figures["largest_component"] == 1
        assert figures["isolates"] == 3
        assert figures["transitivity"] == 0.0
        assert figures["connectedness"] == 0.0

    def test_a_regular_network_has_no_assortativity(self):
        ring = Graph.from_edges([(i, (i + 1) % 6) for i in range(6)])
        assert nx_assortativity(nx.cycle_graph(6)) is None
        assert degree_assortativity(ring) is None


def test_real_network_ids_are_listed():
    assert len(NAMES) == len(set(NAMES)) >= 15
    assert all(graph_id(path) in NAMES for path in real_graphml())
