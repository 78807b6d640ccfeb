"""Whole-network figures: size, density, cohesion, components, clustering, assortativity.

Each function matches a NetworkX function (named in its docstring) so that any figure can be
checked against NetworkX. Figures that NetworkX defines only for undirected graphs (components,
clustering, transitivity, degree centralization) are computed, for a directed network, on its
undirected skeleton -- two members are linked if a tie goes either way -- which is what a
coordinator asks of them: "do the people I work with work with each other?". Figures that do not
exist for a network (reciprocity of an undirected one, assortativity of a network where every
member has the same degree) are None.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import numpy as np

from netweave.analysis.graph import Graph

__all__ = [
    "average_clustering",
    "average_degree",
    "components",
    "connectedness",
    "degree_assortativity",
    "degree_centralization",
    "density",
    "isolates",
    "network_figures",
    "reciprocity",
    "transitivity",
]


def density(graph: Graph) -> float:
    """Ties present out of ties possible: ``nx.density``.

    ``m / (n (n - 1))`` when directed, twice that when undirected; 0 for fewer than two members.

    Examples
    --------
    >>> from netweave.analysis import Graph, density
    >>> density(Graph.from_edges([("a", "b"), ("b", "c")]))
    0.6666666666666666
    >>> density(Graph.from_edges([("a", "b"), ("b", "c")], directed=True))
    0.3333333333333333
    """
    n = graph.number_of_nodes()
    if n < 2:
        return 0.0
    pairs = n * (n - 1) if graph.directed else n * (n - 1) / 2
    return graph.number_of_edges() / pairs


def reciprocity(graph: Graph) -> float | None:
    """Share of directed ties that are returned: ``nx.reciprocity``.

    None for an undirected network or one without ties.

    Examples
    --------
    >>> from netweave.analysis import Graph, reciprocity
    >>> reciprocity(Graph.from_edges([("a", "b"), ("b", "a"), ("b", "c")], directed=True))
    0.6666666666666666
    >>> reciprocity(Graph.from_edges([("a", "b")])) is None
    True
    """
    m = graph.number_of_edges()
    if not graph.directed or m == 0:
        return None
    pairs = graph.skeleton_arrays()[0].size
    return 2 * (m - pairs) / m


def components(graph: Graph) -> list[list[Hashable]]:
    """Connected components (weakly connected when directed), largest first.

    Components of equal size keep the order of their first member. Their number is
    ``nx.number_connected_components`` (``nx.number_weakly_connected_components``).

    Examples
    --------
    >>> from netweave.analysis import Graph, components
    >>> components(Graph.from_edges([("a", "b"), ("c", "d"), ("d", "e")], nodes=["z"]))
    [['c', 'd', 'e'], ['a', 'b'], ['z']]
    """
    membership = graph.component_membership()
    if membership.size == 0:
        return []
    order = _component_order(membership)
    groups: list[list[Hashable]] = [[] for _ in order]
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    ids = graph.nodes
    for position, label in enumerate(membership.tolist()):
        groups[rank[label]].append(ids[position])
    return groups


def connectedness(graph: Graph) -> float | None:
    """Share of pairs of members who can reach each other through ties (Krackhardt 1994).

    Pairs within the same (weakly) connected component, out of all pairs: 1 when the network
    is connected, near 0 when it is scattered. None for fewer than two members. (In NetworkX:
    ``sum(len(c) * (len(c) - 1) for c in nx.connected_components(G)) / (n * (n - 1))``.)

    Examples
    --------
    >>> from netweave.analysis import Graph, connectedness
    >>> connectedness(Graph.from_edges([("a", "b"), ("c", "d")]))
    0.3333333333333333
    """
    n = graph.number_of_nodes()
    if n < 2:
        return None
    sizes = np.bincount(graph.component_membership()).astype(np.float64)
    return float((sizes * (sizes - 1)).sum() / (n * (n - 1)))


def isolates(graph: Graph) -> list[Hashable]:
    """Members without any tie: ``list(nx.isolates(G))``.

    Examples
    --------
    >>> from netweave.analysis import Graph, isolates
    >>> isolates(Graph.from_edges([("a", "b")], nodes=["c", "a"]))
    ['c']
    """
    ids = graph.nodes
    return [ids[position] for position in np.flatnonzero(graph.degree_array() == 0).tolist()]


def average_degree(graph: Graph) -> float:
    """Mean number of ties per member, ``2m / n`` (in + out ties when directed, as NetworkX's
    ``G.degree``); 0 for an empty network.

    Examples
    --------
    >>> from netweave.analysis import Graph, average_degree
    >>> average_degree(Graph.from_edges([("a", "b"), ("b", "c")]))
    1.3333333333333333
    """
    n = graph.number_of_nodes()
    return 2 * graph.number_of_edges() / n if n else 0.0


def degree_centralization(graph: Graph) -> float | None:
    """Freeman's degree centralization: how much the ties gather on one member.

    ``sum(max_degree - degree) / ((n - 1)(n - 2))`` on the undirected skeleton: 1 for a star,
    0 when every member has the same number of partners. None for fewer than three members.
    (NetworkX has no function for it; it is this formula on ``dict(G.degree)``.)

    Examples
    --------
    >>> from netweave.analysis import Graph, degree_centralization
    >>> degree_centralization(Graph.from_edges([("hub", x) for x in "abcd"]))
    1.0
    >>> degree_centralization(Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a")]))
    0.0
    """
    n = graph.number_of_nodes()
    if n < 3:
        return None
    degree = graph.skeleton_degree_array()
    return float((degree.max() - degree).sum() / ((n - 1) * (n - 2)))


def transitivity(graph: Graph) -> float:
    """Share of connected triples that close into triangles: ``nx.transitivity``.

    On the undirected skeleton of a directed network; 0 when there is no connected triple.

    Examples
    --------
    >>> from netweave.analysis import Graph, transitivity
    >>> round(transitivity(Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])), 4)
    0.6
    """
    if graph.number_of_edges() == 0:
        return 0.0
    value = graph.skeleton_igraph().transitivity_undirected()
    return 0.0 if math.isnan(value) else float(value)


def average_clustering(graph: Graph) -> float | None:
    """Mean of the members' local clustering: ``nx.average_clustering``.

    A member with fewer than two partners counts as 0, as in NetworkX. On the undirected skeleton
    of a directed network (NetworkX's directed variant counts ties by direction, which survey data
    rarely supports). None for an empty network.

    Examples
    --------
    >>> from netweave.analysis import Graph, average_clustering
    >>> triangle_and_tail = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> round(average_clustering(triangle_and_tail), 4)
    0.5833
    """
    n = graph.number_of_nodes()
    if n == 0:
        return None
    local = np.asarray(graph.skeleton_igraph().transitivity_local_undirected(mode="zero"))
    return float(local.sum() / n)


def degree_assortativity(graph: Graph) -> float | None:
    """Whether members tie to members of similar degree: ``nx.degree_assortativity_coefficient``.

    For a directed network, NetworkX's default: the source's out-degree against the target's
    in-degree. Between -1 (hubs tie to loners) and 1; None when it is undefined (no ties, or all
    degrees equal).

    Examples
    --------
    >>> from netweave.analysis import Graph, degree_assortativity
    >>> degree_assortativity(Graph.from_edges([("hub", x) for x in "abcd"]))
    -1.0
    """
    if graph.number_of_edges() == 0:
        return None
    value = graph.to_igraph().assortativity_degree(directed=graph.directed)
    if value is None or math.isnan(value):
        return None
    return float(value)


def network_figures(graph: Graph) -> dict[str, Any]:
    """The whole-network figures that need no shortest paths, in one dict.

    Keys: ``nodes``, ``edges``, ``directed``, ``density``, ``reciprocity`` (directed only),
    ``components``, ``largest_component``, ``connectedness``, ``isolates``, ``average_degree``,
    ``degree_centralization``, ``transitivity``, ``average_clustering``, ``degree_assortativity``.
    ``components`` counts components (isolates included), ``largest_component`` is the number of
    members of the largest one and ``isolates`` the number of members without ties.

    Examples
    --------
    >>> from netweave.analysis import Graph, network_figures
    >>> figures = network_figures(Graph.from_edges([("a", "b"), ("b", "c")], nodes=["z"]))
    >>> figures["components"], figures["largest_component"], figures["isolates"]
    (2, 3, 1)
    """
    membership = graph.component_membership()
    sizes = np.bincount(membership) if membership.size else np.zeros(0, dtype=np.int64)
    figures: dict[str, Any] = {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "directed": graph.directed,
        "density": density(graph),
    }
    if graph.directed:
        figures["reciprocity"] = reciprocity(graph)
    figures.update(
        {
            "components": int(sizes.size),
            "largest_component": int(sizes.max()) if sizes.size else 0,
            "connectedness": connectedness(graph),
            "isolates": int((graph.degree_array() == 0).sum()),
            "average_degree": average_degree(graph),
            "degree_centralization": degree_centralization(graph),
            "transitivity": transitivity(graph),
            "average_clustering": average_clustering(graph),
            "degree_assortativity": degree_assortativity(graph),
        }
    )
    return figures


def _component_order(membership: np.ndarray) -> np.ndarray:
    """Component labels, largest first; ties by first member (igraph labels in that order)."""
    sizes = np.bincount(membership)
    return np.lexsort((np.arange(sizes.size), -sizes))
