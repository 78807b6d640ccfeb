"""Core and periphery: the Borgatti-Everett discrete model.

Borgatti and Everett (1999, "Models of core/periphery structures", *Social Networks* 21) call a
network core/periphery when its members split into a **core**, whose members are all tied to each
other, and a **periphery**, whose members have no ties among themselves. How well a network fits is
the Pearson correlation between its adjacency matrix and that ideal pattern, over the pairs the
pattern speaks about: core-core pairs (ideal: a tie) and periphery-periphery pairs (ideal: none).
Ties between core and periphery are left out of the fit, as in UCINET's default ("ignore the
core-periphery block"), because a periphery is *expected* to hold some ties to the core, not all.

Finding the split that fits best is a hard combinatorial search. Networks of up to
:data:`EXHAUSTIVE_LIMIT` members are searched exhaustively (every split). Larger ones:

1. rank members by core number (k-core) then degree, and also by degree alone;
2. try every prefix of each ranking as the core (a few vector operations, since the fit only
   depends on the core's size and on the ties inside the core and inside the periphery), and keep
   the peaks of that scan as starting points (the best :data:`START_COUNT`); in networks of up to
   :data:`SWAP_LIMIT` members, the :data:`CLIQUE_STARTS` largest cliques are starting points too;
3. from each start, climb: move the one member across that improves the correlation most, while
   that improves it by at least :data:`MIN_GAIN` (at most :data:`MAX_MOVES` moves);
4. from the best :data:`SWAP_FINALISTS` results, in networks of up to :data:`SWAP_LIMIT` members,
   climb again allowing swaps of a core member with a peripheral one; keep the best fit found.

Directed networks are fitted on their undirected skeleton; isolates take part (as periphery).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from netweave.analysis.centrality import coreness_array
from netweave.analysis.graph import Graph

__all__ = [
    "CLIQUE_STARTS",
    "EXHAUSTIVE_LIMIT",
    "MAX_MOVES",
    "MIN_GAIN",
    "START_COUNT",
    "SWAP_FINALISTS",
    "SWAP_LIMIT",
    "core_periphery",
    "core_periphery_array",
    "fit_correlation",
]

MAX_MOVES = 1000
MIN_GAIN = 1e-4
START_COUNT = 4
SWAP_LIMIT = 500
CLIQUE_STARTS = 20
SWAP_FINALISTS = 4
EXHAUSTIVE_LIMIT = 16


def fit_correlation(n: int, core_size: int, core_ties: float, periphery_ties: float) -> float:
    """Correlation between the data and the ideal core/periphery pattern.

    Computed from counts: ``n`` members, ``core_size`` of them in the core, ``core_ties`` ties
    inside the core and ``periphery_ties`` inside the periphery. NaN when undefined (fewer than
    two members on a side, or the considered pairs all tied or all untied).

    Examples
    --------
    >>> from netweave.analysis.coreperiphery import fit_correlation
    >>> fit_correlation(6, 3, 3, 0)  # a triangle core, periphery without ties: a perfect fit
    1.0
    """
    values = _correlations(
        n, np.asarray([core_size]), np.asarray([core_ties]), np.asarray([periphery_ties])
    )
    return float(values[0])


def _correlations(
    n: int, core: np.ndarray, core_ties: np.ndarray, periphery_ties: np.ndarray
) -> np.ndarray:
    core = core.astype(np.float64)
    periphery = n - core
    core_pairs = core * (core - 1) / 2
    periphery_pairs = periphery * (periphery - 1) / 2
    tied_core = core_ties.astype(np.float64)
    tied_periphery = periphery_ties.astype(np.float64)
    untied_core = core_pairs - tied_core
    untied_periphery = periphery_pairs - tied_periphery
    tied = tied_core + tied_periphery
    untied = untied_core + untied_periphery
    denominator = np.sqrt(core_pairs * periphery_pairs * tied * untied)
    numerator = tied_core * untied_periphery - untied_core * tied_periphery
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def core_periphery_array(
    graph: Graph, *, coreness: np.ndarray | None = None
) -> tuple[np.ndarray, float | None]:
    """Whether each node position is in the core (bool array), and the fit's correlation.

    See :func:`core_periphery`.
    """
    n = graph.number_of_nodes()
    if n < 4 or graph.number_of_edges() == 0:
        return np.zeros(n, dtype=bool), None
    degree = graph.skeleton_degree_array()
    if coreness is None:
        coreness = coreness_array(graph)
    positions = np.arange(n)
    starts: list[tuple[float, np.ndarray]] = []
    for ranking in (
        np.lexsort((positions, -degree, -coreness)),
        np.lexsort((positions, -degree)),
    ):
        starts += _prefix_starts(graph, ranking)
    if n <= EXHAUSTIVE_LIMIT:
        return _exhaustive(graph)
    starts.sort(key=lambda start: -start[0])
    starts = starts[:START_COUNT]
    if n <= SWAP_LIMIT:
        starts += _clique_starts(graph)
    search = _Search(graph, degree)
    # Cheap climbs (single moves) from every start, then swaps from the best two of them.
    climbed: list[tuple[float, np.ndarray]] = []
    for _, start in starts:
        if any(np.array_equal(start, other) for _, other in climbed):
            continue
        core, score = search.climb(start, swaps=False)
        climbed.append((score, core))
    climbed.sort(key=lambda result: -result[0])
    best_core = np.zeros(n, dtype=bool)
    best_score = float("nan")
    finalists: list[np.ndarray] = []
    for score, core in climbed:
        if len(finalists) == SWAP_FINALISTS:
            break
        if any(np.array_equal(core, other) for other in finalists):
            continue
        finalists.append(core)
        if search.dense is not None:
            core, score = search.climb(core, swaps=True)
        if math.isnan(best_score) or score > best_score + 1e-12:
            best_core, best_score = core, score
    if math.isnan(best_score) or best_score <= -1.0:
        return np.zeros(n, dtype=bool), None
    return best_core, best_score


def _prefix_starts(graph: Graph, ranking: np.ndarray) -> list[tuple[float, np.ndarray]]:
    """The best prefixes of a ranking taken as the core: the peaks of the prefix scan."""
    n = ranking.size
    lo, hi = graph.skeleton_arrays()
    rank = np.empty(n, dtype=np.int64)
    rank[ranking] = np.arange(n)
    later, earlier = np.maximum(rank[lo], rank[hi]), np.minimum(rank[lo], rank[hi])
    # Ties inside the first c ranked members, and among the members from c on.
    core_ties = np.concatenate([[0], np.cumsum(np.bincount(later, minlength=n))])
    periphery_ties = lo.size - np.concatenate([[0], np.cumsum(np.bincount(earlier, minlength=n))])
    scores = _correlations(n, np.arange(n + 1), core_ties, periphery_ties)
    if np.all(np.isnan(scores)):
        return []
    filled = np.where(np.isnan(scores), -np.inf, scores)
    left = np.concatenate([[-np.inf], filled[:-1]])
    right = np.concatenate([filled[1:], [-np.inf]])
    peaks = np.flatnonzero((filled >= left) & (filled >= right) & np.isfinite(filled))
    peaks = peaks[np.argsort(-filled[peaks], kind="stable")][:START_COUNT]
    starts = []
    for size in peaks.tolist():
        core = np.zeros(n, dtype=bool)
        core[ranking[:size]] = True
        starts.append((float(filled[size]), core))
    return starts


def _clique_starts(graph: Graph) -> list[tuple[float, np.ndarray]]:
    """The largest maximal cliques of a small network, each a candidate core."""
    n = graph.number_of_nodes()
    cliques = graph.skeleton_igraph().maximal_cliques(min=3)
    degree = graph.skeleton_degree_array()
    cliques.sort(key=lambda clique: (-len(clique), -int(degree[list(clique)].sum())))
    starts = []
    for clique in cliques[:CLIQUE_STARTS]:
        core = np.zeros(n, dtype=bool)
        core[list(clique)] = True
        starts.append((0.0, core))
    return starts


def _exhaustive(graph: Graph) -> tuple[np.ndarray, float | None]:
    """Every split of a small network into core and periphery; the best fit."""
    n = graph.number_of_nodes()
    lo, hi = graph.skeleton_arrays()
    masks = np.arange(1, 2**n - 1, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
    core_ties = (bits[:, lo] & bits[:, hi]).sum(axis=1)
    periphery_ties = (~bits[:, lo] & ~bits[:, hi]).sum(axis=1)
    scores = _correlations(n, bits.sum(axis=1), core_ties, periphery_ties)
    if np.all(np.isnan(scores)):
        return np.zeros(n, dtype=bool), None
    best = int(np.nanargmax(scores))
    return bits[best].copy(), float(scores[best])


class _Search:
    """Hill-climbing on the fit: move one member across, or (in networks of up to
    :data:`SWAP_LIMIT` members) swap a core member with a peripheral one."""

    def __init__(self, graph: Graph, degree: np.ndarray) -> None:
        self.n = graph.number_of_nodes()
        self.degree = degree
        self.adjacency = graph.skeleton_csr()
        self.dense = self.adjacency.toarray().astype(bool) if self.n <= SWAP_LIMIT else None

    def climb(self, start: np.ndarray, *, swaps: bool) -> tuple[np.ndarray, float]:
        n, degree, adjacency = self.n, self.degree, self.adjacency
        in_core = start.copy()
        core_neighbours = np.asarray(adjacency @ in_core.astype(np.int64)).ravel()
        core_neighbours = core_neighbours.astype(np.int64)
        size = int(in_core.sum())
        inside = int(core_neighbours[in_core].sum()) // 2
        outside = int((degree - core_neighbours)[~in_core].sum()) // 2
        score = float(
            _correlations(n, np.array([size]), np.array([inside]), np.array([outside]))[0]
        )
        if math.isnan(score):
            score = -1.0
        for _ in range(MAX_MOVES):
            # Joining the core adds the member's ties to the core and removes its ties to the
            # periphery from the periphery block; leaving does the opposite.
            sign = np.where(in_core, -1, 1)
            flips = _correlations(
                n,
                size + sign,
                inside + sign * core_neighbours,
                outside - sign * (degree - core_neighbours),
            )
            best_flip = int(np.nanargmax(flips)) if not np.all(np.isnan(flips)) else -1
            gain = flips[best_flip] if best_flip >= 0 else -np.inf
            swap = None
            if swaps and self.dense is not None and 0 < size < n:
                core, periphery = np.flatnonzero(in_core), np.flatnonzero(~in_core)
                between = self.dense[np.ix_(core, periphery)].astype(np.int64)
                outer = degree - core_neighbours
                swapped = _correlations(
                    n,
                    np.full(between.shape, size),
                    inside - core_neighbours[core][:, None] + core_neighbours[periphery] - between,
                    outside - outer[periphery] + outer[core][:, None] - between,
                )
                if not np.all(np.isnan(swapped)):
                    at = np.unravel_index(int(np.nanargmax(swapped)), swapped.shape)
                    if swapped[at] > gain:
                        gain = swapped[at]
                        swap = (int(core[at[0]]), int(periphery[at[1]]))
            if not gain >= score + MIN_GAIN:
                break
            score = float(gain)
            for member in swap if swap is not None else (best_flip,):
                joining = not in_core[member]
                in_core[member] = joining
                start_at, end_at = adjacency.indptr[member], adjacency.indptr[member + 1]
                core_neighbours[adjacency.indices[start_at:end_at]] += 1 if joining else -1
            size = int(in_core.sum())
            inside = int(core_neighbours[in_core].sum()) // 2
            outside = int((degree - core_neighbours)[~in_core].sum()) // 2
        return in_core, score


def core_periphery(graph: Graph) -> dict[str, Any]:
    """Fit the Borgatti-Everett discrete core/periphery model.

    Parameters
    ----------
    graph : Graph

    Returns
    -------
    dict
        ``core``: node ids of the core (in node order); ``correlation``: how well the network fits
        the ideal pattern (Pearson's r, -1 to 1; None when no split is defined: fewer than four
        members or no ties); ``core_density``, ``periphery_density`` and
        ``core_periphery_density``: ties present out of ties possible inside the core, inside
        the periphery and between them.

    Examples
    --------
    >>> from netweave.analysis import Graph, core_periphery
    >>> core = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]
    >>> spokes = [("a", "p1"), ("b", "p2"), ("c", "p3"), ("d", "p4"), ("a", "p5")]
    >>> fit = core_periphery(Graph.from_edges(core + spokes))
    >>> fit["core"], fit["correlation"], fit["periphery_density"]
    (['a', 'b', 'c', 'd'], 1.0, 0.0)
    """
    in_core, correlation = core_periphery_array(graph)
    return {
        "core": [graph.nodes[position] for position in np.flatnonzero(in_core).tolist()],
        "correlation": correlation,
        **block_densities(graph, in_core),
    }


def block_densities(graph: Graph, in_core: np.ndarray) -> dict[str, float | None]:
    """Densities of the core, the periphery and the ties between them (skeleton)."""
    lo, hi = graph.skeleton_arrays()
    n = graph.number_of_nodes()
    c = int(in_core.sum())
    p = n - c
    both = in_core[lo] & in_core[hi]
    neither = ~in_core[lo] & ~in_core[hi]
    between = lo.size - int(both.sum()) - int(neither.sum())

    def share(ties: int, pairs: float) -> float | None:
        return ties / pairs if pairs > 0 else None

    return {
        "core_density": share(int(both.sum()), c * (c - 1) / 2),
        "periphery_density": share(int(neither.sum()), p * (p - 1) / 2),
        "core_periphery_density": share(between, c * p),
    }
