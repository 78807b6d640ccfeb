"""Communities: groups of members more tied among themselves than to the rest (Leiden, modularity).

Communities are found by the Leiden algorithm (Traag, Waltman and van Eck 2019) maximizing
modularity at resolution 1, run by igraph until an iteration no longer improves it, with its own
seeded random generator so that the same network always gets the same communities. Leiden is
randomized and can stop at a partition a little short of the best, so it runs several times (up to
:data:`MAX_RUNS`, as many as fit in :data:`RUN_BUDGET` members plus ties: eight times up to
250,000, once from a million) and the partition of highest modularity is kept. A directed
network is grouped on its undirected skeleton. Members without ties belong to no community
(``None``); the others are numbered 0, 1, ... from the largest community down (equal sizes by
their first member). Modularity is NetworkX's ``nx.community.modularity`` (resolution 1) of that
partition, isolates counted as groups of one.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np

from netweave.analysis.exceptions import AnalysisError
from netweave.analysis.graph import Graph

__all__ = ["MAX_RUNS", "RUN_BUDGET", "community_array", "detect_communities", "modularity"]

MAX_RUNS = 8
RUN_BUDGET = 2_000_000


def community_array(graph: Graph, *, seed: int = 0) -> tuple[np.ndarray, float | None]:
    """Community of each node position (-1 for isolates) and the partition's modularity.

    See :func:`detect_communities`.
    """
    import igraph

    n = graph.number_of_nodes()
    labels = np.full(n, -1, dtype=np.int64)
    if graph.number_of_edges() == 0:
        return labels, None
    skeleton = graph.skeleton_igraph()
    runs = max(1, min(MAX_RUNS, RUN_BUDGET // (n + graph.number_of_edges())))
    best: Any = None
    try:
        for run in range(runs):
            igraph.set_random_number_generator(random.Random(seed * MAX_RUNS + run))
            found = skeleton.community_leiden(
                objective_function="modularity", resolution=1.0, n_iterations=-1
            )
            if best is None or found.modularity > best.modularity + 1e-12:
                best = found
    finally:
        igraph.set_random_number_generator(random)
    raw = np.asarray(best.membership, dtype=np.int64)
    tied = graph.skeleton_degree_array() > 0
    sizes = np.bincount(raw[tied], minlength=raw.max() + 1)
    first = np.full(sizes.size, n, dtype=np.int64)
    np.minimum.at(first, raw[tied], np.flatnonzero(tied))
    present = np.flatnonzero(sizes)
    order = present[np.lexsort((first[present], -sizes[present]))]
    rank = np.full(sizes.size, -1, dtype=np.int64)
    rank[order] = np.arange(order.size)
    labels[tied] = rank[raw[tied]]
    return labels, _modularity_of(graph, labels)


def detect_communities(graph: Graph, *, seed: int = 0) -> dict[str, Any]:
    """Find communities with Leiden on modularity.

    Parameters
    ----------
    graph : Graph
    seed : int
        Seed of Leiden's random choices; the same seed gives the same communities.

    Returns
    -------
    dict
        ``membership``: node id to community number (None for isolates); ``count``: number of
        communities; ``sizes``: members per community, largest first; ``modularity``: of the
        partition (None when the network has no ties).

    Examples
    --------
    >>> from netweave.analysis import Graph, detect_communities
    >>> two_triangles = Graph.from_edges(
    ...     [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), ("c", "x")],
    ...     nodes=["loner"],
    ... )
    >>> found = detect_communities(two_triangles)
    >>> found["count"], found["sizes"], round(found["modularity"], 4)
    (2, [3, 3], 0.3571)
    >>> found["membership"]["a"] == found["membership"]["b"] != found["membership"]["x"]
    True
    >>> found["membership"]["loner"] is None
    True
    """
    labels, value = community_array(graph, seed=seed)
    sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(0, np.int64)
    return {
        "membership": dict(
            zip(
                graph.nodes,
                [None if label < 0 else label for label in labels.tolist()],
                strict=True,
            )
        ),
        "count": int(sizes.size),
        "sizes": sizes.tolist(),
        "modularity": value,
    }


def modularity(
    graph: Graph, communities: Mapping[Hashable, Any] | Iterable[Iterable[Hashable]]
) -> float | None:
    """Modularity of a partition: ``nx.community.modularity(G, communities)`` at resolution 1.

    Parameters
    ----------
    graph : Graph
        Directed networks are taken undirected.
    communities : mapping of node id to label, or iterable of groups of node ids
        Members left out (or labelled None) count as groups of one.

    Returns
    -------
    float or None
        None when the network has no ties.

    Raises
    ------
    AnalysisError
        A member is in two groups.
    NodeNotFound

    Examples
    --------
    >>> from netweave.analysis import Graph, modularity
    >>> graph = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> modularity(graph, [["a", "b", "c", "d"]])
    0.0
    >>> round(modularity(graph, {"a": 0, "b": 0, "c": 0, "d": 1}), 4)
    -0.0312
    """
    n = graph.number_of_nodes()
    labels = np.full(n, -1, dtype=np.int64)
    if isinstance(communities, Mapping):
        names: dict[Any, int] = {}
        for node, community in communities.items():
            if community is not None:
                labels[graph.index(node)] = names.setdefault(community, len(names))
    else:
        for number, group in enumerate(communities):
            for node in group:
                position = graph.index(node)
                if labels[position] >= 0:
                    raise AnalysisError(f"node {node!r} is in two communities")
                labels[position] = number
    return _modularity_of(graph, labels)


def _modularity_of(graph: Graph, labels: np.ndarray) -> float | None:
    if graph.number_of_edges() == 0:
        return None
    full = labels.copy()
    loose = full < 0
    start = int(full.max()) + 1 if full.size else 0
    full[loose] = np.arange(start, start + int(loose.sum()))
    return float(graph.skeleton_igraph().modularity(full.tolist()))
