"""Per-member centrality: degree, betweenness, closeness, PageRank and coreness (k-core).

Every function returns a dict of node id to a plain Python number, like NetworkX, and matches the
NetworkX function named in its docstring. Betweenness and closeness are exact up to
:data:`netweave.analysis.paths.EXACT_BUDGET` search steps and estimated above it (see
:mod:`netweave.analysis.paths`); their keyword options go to
:func:`netweave.analysis.paths.plan_paths`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from netweave.analysis.exceptions import AnalysisError
from netweave.analysis.graph import Graph
from netweave.analysis.paths import node_values, path_figures, plan_paths

__all__ = [
    "betweenness",
    "closeness",
    "coreness",
    "coreness_array",
    "degree",
    "in_degree",
    "out_degree",
    "pagerank",
    "pagerank_array",
]


def degree(graph: Graph) -> dict[Hashable, int]:
    """Number of ties of each member (in + out when directed): ``dict(G.degree)``.

    Examples
    --------
    >>> from netweave.analysis import Graph, degree
    >>> degree(Graph.from_edges([("a", "b"), ("b", "c"), ("c", "b")], directed=True))
    {'a': 1, 'b': 3, 'c': 2}
    """
    return node_values(graph, graph.degree_array())


def in_degree(graph: Graph) -> dict[Hashable, int]:
    """Number of ties each member receives: ``dict(G.in_degree)`` (the degree if undirected).

    Examples
    --------
    >>> from netweave.analysis import Graph, in_degree
    >>> in_degree(Graph.from_edges([("a", "b"), ("c", "b")], directed=True))
    {'a': 0, 'b': 2, 'c': 0}
    """
    return node_values(graph, graph.in_degree_array())


def out_degree(graph: Graph) -> dict[Hashable, int]:
    """Number of ties each member sends: ``dict(G.out_degree)`` (the degree if undirected).

    Examples
    --------
    >>> from netweave.analysis import Graph, out_degree
    >>> out_degree(Graph.from_edges([("a", "b"), ("c", "b")], directed=True))
    {'a': 1, 'b': 0, 'c': 1}
    """
    return node_values(graph, graph.out_degree_array())


def betweenness(graph: Graph, *, workers: int = 1, **options: Any) -> dict[Hashable, float]:
    """Share of shortest paths between others that pass through each member.

    ``nx.betweenness_centrality(G)``: normalized, unweighted, directed paths when directed.
    Estimated from pivots above the exact budget (``options`` go to
    :func:`~netweave.analysis.paths.plan_paths`; ``workers`` > 1 forks worker processes).

    Examples
    --------
    >>> from netweave.analysis import Graph, betweenness
    >>> betweenness(Graph.from_edges([("a", "b"), ("b", "c"), ("c", "d")]))
    {'a': 0.0, 'b': 0.6666666666666666, 'c': 0.6666666666666666, 'd': 0.0}
    """
    figures = path_figures(plan_paths(graph, **options), workers=workers)
    return node_values(graph, figures.betweenness)


def closeness(graph: Graph, **options: Any) -> dict[Hashable, float]:
    """How close each member is to the others: ``nx.closeness_centrality(G)``.

    ``(r - 1) / sum of distances``, scaled by ``(r - 1) / (n - 1)`` where ``r`` members reach it
    (Wasserman and Faust's improvement, NetworkX's default ``wf_improved=True``), so that members
    of small fragments do not look central. Distances run *to* the member in a directed network,
    as in NetworkX. 0 for an isolate.

    Examples
    --------
    >>> from netweave.analysis import Graph, closeness
    >>> closeness(Graph.from_edges([("a", "b"), ("b", "c")], nodes=["z"]))
    {'z': 0.0, 'a': 0.4444444444444444, 'b': 0.6666666666666666, 'c': 0.4444444444444444}
    """
    return node_values(graph, path_figures(plan_paths(graph, **options)).closeness)


def pagerank_array(graph: Graph, *, alpha: float = 0.85) -> np.ndarray:
    """PageRank of each node position (see :func:`pagerank`)."""
    if not 0 < alpha < 1:
        raise AnalysisError("alpha must be between 0 and 1")
    n = graph.number_of_nodes()
    if n == 0:
        return np.zeros(0)
    if graph.number_of_edges() == 0:
        return np.full(n, 1.0 / n)
    values = graph.to_igraph().pagerank(damping=alpha, directed=graph.directed)
    return np.asarray(values, dtype=np.float64)


def pagerank(graph: Graph, *, alpha: float = 0.85) -> dict[Hashable, float]:
    """PageRank with damping ``alpha``: ``nx.pagerank(G, alpha=0.85, weight=None)``.

    Unweighted; a member without outgoing ties spreads its share over everyone, as in NetworkX.
    The values add up to 1.

    Examples
    --------
    >>> from netweave.analysis import Graph, pagerank
    >>> ranks = pagerank(Graph.from_edges([("a", "b"), ("c", "b")], directed=True))
    >>> {node: round(rank, 3) for node, rank in ranks.items()}
    {'a': 0.213, 'b': 0.574, 'c': 0.213}
    """
    return node_values(graph, pagerank_array(graph, alpha=alpha))


def coreness_array(graph: Graph) -> np.ndarray:
    """Core number of each node position (see :func:`coreness`)."""
    if graph.number_of_nodes() == 0:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(graph.skeleton_igraph().coreness(), dtype=np.int64)


def coreness(graph: Graph) -> dict[Hashable, int]:
    """Core number: the largest k such that the member is in a group where everyone has at least
    k partners within the group: ``nx.core_number``.

    Counted on distinct partners (the undirected skeleton) in a directed network.

    Examples
    --------
    >>> from netweave.analysis import Graph, coreness
    >>> coreness(Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))
    {'a': 2, 'b': 2, 'c': 2, 'd': 1}
    """
    return node_values(graph, coreness_array(graph))
