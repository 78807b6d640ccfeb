"""Where the network is fragile: single points of failure and brokers.

A **single point of failure** is a member whose departure splits the network: an articulation
point (``nx.articulation_points``) of the undirected skeleton. For each we count the members it
would *cut off*: those left outside the largest remaining piece of its component. A member that
only holds one newcomer cuts off 1; one that holds a whole region cuts off hundreds.

A **broker** links communities: a member whose ties reach at least one community other than its
own, ranked by betweenness (the share of shortest paths between others that run through them).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from netweave.analysis.graph import Graph

__all__ = [
    "brokers",
    "cut_off_array",
    "other_communities_array",
    "ranked_single_points",
    "single_points_of_failure",
]


def cut_off_array(graph: Graph) -> tuple[np.ndarray, np.ndarray]:
    """For each node position: members its departure would cut off, and pieces it leaves.

    Both are 0 for members that are not articulation points.
    """
    n = graph.number_of_nodes()
    cut_off = np.zeros(n, dtype=np.int64)
    pieces = np.zeros(n, dtype=np.int64)
    if graph.number_of_edges() == 0:
        return cut_off, pieces
    skeleton = graph.skeleton_igraph()
    blocks, points = skeleton.biconnected_components(return_articulation_points=True)
    if not points:
        return cut_off, pieces
    is_point = np.zeros(n, dtype=bool)
    is_point[points] = True
    component_size = np.bincount(graph.component_membership())[graph.component_membership()]
    # The block-cut tree: one tree node per block (weight: its members that are not articulation
    # points) and one per articulation point (weight 1); a point links the blocks it belongs to.
    block_count = len(blocks)
    point_node = {int(point): block_count + at for at, point in enumerate(points)}
    weight = [0] * (block_count + len(points))
    neighbours: list[list[int]] = [[] for _ in weight]
    for block_index, block in enumerate(blocks):
        for member in block:
            if is_point[member]:
                tree_node = point_node[member]
                neighbours[block_index].append(tree_node)
                neighbours[tree_node].append(block_index)
            else:
                weight[block_index] += 1
    for tree_node in point_node.values():
        weight[tree_node] = 1
    subtree = list(weight)
    parent = [-1] * len(weight)
    seen = [False] * len(weight)
    for root in range(block_count):
        if seen[root]:
            continue
        seen[root] = True
        order = [root]
        stack = [root]
        while stack:
            node = stack.pop()
            for other in neighbours[node]:
                if not seen[other]:
                    seen[other] = True
                    parent[other] = node
                    order.append(other)
                    stack.append(other)
        for node in reversed(order[1:]):
            subtree[parent[node]] += subtree[node]
    for point, tree_node in point_node.items():
        below = [subtree[child] for child in neighbours[tree_node] if child != parent[tree_node]]
        rest = int(component_size[point]) - 1 - sum(below)
        parts = below + ([rest] if rest > 0 else [])
        cut_off[point] = int(component_size[point]) - 1 - max(parts)
        pieces[point] = len(parts)
    return cut_off, pieces


def single_points_of_failure(graph: Graph) -> list[dict[str, Any]]:
    """Members whose departure would split the network, most damaging first.

    Returns
    -------
    list of dict
        ``node``: its id; ``cuts_off``: members separated from the largest remaining piece of its
        component; ``pieces``: how many pieces the component falls into. Equal ``cuts_off`` keep
        node order.

    Examples
    --------
    >>> from netweave.analysis import Graph, single_points_of_failure
    >>> graph = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")])
    >>> single_points_of_failure(graph)
    [{'node': 'c', 'cuts_off': 2, 'pieces': 2}, {'node': 'd', 'cuts_off': 1, 'pieces': 2}]
    """
    cut_off, pieces = cut_off_array(graph)
    return ranked_single_points(graph, cut_off, pieces)


def ranked_single_points(
    graph: Graph, cut_off: np.ndarray, pieces: np.ndarray
) -> list[dict[str, Any]]:
    """:func:`single_points_of_failure` from the arrays of :func:`cut_off_array`."""
    points = np.flatnonzero(pieces > 0)
    points = points[np.lexsort((points, -cut_off[points]))]
    ids = graph.nodes
    return [
        {"node": ids[point], "cuts_off": int(cut_off[point]), "pieces": int(pieces[point])}
        for point in points.tolist()
    ]


def other_communities_array(graph: Graph, communities: np.ndarray) -> np.ndarray:
    """For each node position, how many communities other than its own its ties reach."""
    n = graph.number_of_nodes()
    lo, hi = graph.skeleton_arrays()
    if lo.size == 0:
        return np.zeros(n, dtype=np.int64)
    members = np.concatenate([lo, hi])
    reached = np.concatenate([communities[hi], communities[lo]])
    outside = reached != communities[members]
    count = max(int(communities.max()) + 2, 1)
    keys = np.unique(members[outside] * count + (reached[outside] + 1))
    return np.bincount(keys // count, minlength=n)


def brokers(
    graph: Graph,
    *,
    betweenness: np.ndarray,
    communities: np.ndarray,
    limit: int | None = 10,
) -> list[dict[str, Any]]:
    """Members who link communities, highest betweenness first.

    Parameters
    ----------
    graph : Graph
    betweenness : array of float
        Betweenness of each node position (as :func:`~netweave.analysis.betweenness`).
    communities : array of int
        Community of each node position (-1 for none), as from
        :func:`~netweave.analysis.communities.community_array`.
    limit : int or None
        At most this many (None: all).

    Returns
    -------
    list of dict
        ``node``, ``betweenness`` and ``communities`` (how many communities its ties reach, its
        own included), for members with betweenness above 0 whose ties reach another community.

    Examples
    --------
    >>> import numpy as np
    >>> from netweave.analysis import Graph, brokers
    >>> graph = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "d")])
    >>> found = brokers(
    ...     graph, betweenness=np.array([0, 0.6, 0.6, 0]), communities=np.array([0, 0, 1, 1])
    ... )
    >>> [(broker["node"], broker["communities"]) for broker in found]
    [('b', 2), ('c', 2)]
    """
    reach = other_communities_array(graph, communities)
    candidates = np.flatnonzero((reach > 0) & (betweenness > 0))
    candidates = candidates[np.lexsort((candidates, -betweenness[candidates]))]
    if limit is not None:
        candidates = candidates[:limit]
    ids: tuple[Hashable, ...] = graph.nodes
    return [
        {
            "node": ids[member],
            "betweenness": float(betweenness[member]),
            "communities": int(reach[member]) + 1,
        }
        for member in candidates.tolist()
    ]
