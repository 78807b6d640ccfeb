"""Figures built on shortest paths: betweenness, closeness, average path length and diameter.

They all need a breadth-first search from each member, which costs about
``members x (members + ties)`` steps for a connected network. Up to :data:`EXACT_BUDGET` steps
(three hundred million: every network of 5,000 members with up to 55,000 ties, of 10,000 members
with up to 20,000, of 2,000 with up to 148,000) the figures are **exact**, computed by igraph
(betweenness) and SciPy (distances). Above it, the largest components are **estimated** from
searches started at a random sample of their members (pivots): the same budget's worth,
:data:`SAMPLE_BUDGET` steps, at least :data:`MIN_SAMPLES` pivots, in batches of
:data:`SAMPLE_BATCH` searched together with sparse matrix products, each search serving every path
figure at once:

- betweenness: each pivot's dependencies scaled by members/pivots (Brandes and Pich 2007), with
  Geisberger, Sanders and Schultes' (2008) *linear scaling* on undirected paths -- a pair's
  dependency is shared between its two ends in proportion to their distance, which removes most
  of the noise a pivot causes on its own neighbours. Each member's standard error comes from the
  spread of its per-pivot contributions;
- closeness: each member's mean distance from the pivots (standard error likewise);
- average path length: the mean over pivots of their mean distance (standard error likewise);
- diameter: the largest eccentricity seen from the pivots and from the member farthest from them
  (a lower bound), with twice the smallest pivot eccentricity as an upper bound.

A component deeper than :data:`MAX_LEVELS` steps (a long chain) falls back to igraph and SciPy
searches from the same pivots, its betweenness error taken from the spread of batch estimates.

Definitions follow NetworkX: ``betweenness_centrality`` (normalized; directed paths in a directed
network), ``closeness_centrality`` (``wf_improved=True``; for a directed network, distances *to*
the member), and ``average_shortest_path_length`` / ``diameter`` of the largest (weakly) connected
component, taken undirected. A directed network's skeleton betweenness (its undirected paths) is
available too: the structure stage reads it.

Small components are searched together in groups of about :data:`GROUP_NODES` members, so that a
network of many fragments costs what its fragments cost. :class:`PathJob` runs the searches in
forked worker processes, which take pieces of work from a shared counter, while the caller
computes other figures, and joins in when it asks for the result.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from netweave.analysis.exceptions import AnalysisError
from netweave.analysis.graph import Graph

__all__ = [
    "EXACT_BUDGET",
    "MAX_LEVELS",
    "MIN_SAMPLES",
    "SAMPLE_BATCH",
    "SAMPLE_BUDGET",
    "PathFigures",
    "PathJob",
    "PathPlan",
    "average_path_length",
    "default_workers",
    "diameter",
    "path_figures",
    "plan_paths",
    "summarize_errors",
]

EXACT_BUDGET = 300_000_000
SAMPLE_BUDGET = 300_000_000
MIN_SAMPLES = 64
SAMPLE_BATCH = 32
MAX_LEVELS = 32
IGRAPH_BATCHES = 8
GROUP_NODES = 4096
CHUNK_CELLS = 4_000_000
PARALLEL_MIN_COST = 20_000_000
TOP_FOR_ERROR = 100


@dataclass
class Unit:
    """Whole components searched together: from all their members, or from pivots (sampled)."""

    nodes: np.ndarray  # global positions, sorted
    sources: np.ndarray  # local positions of the members searched from, sorted
    sampled: bool
    component_size: int  # members of the (single) sampled component; 0 when exact
    holds_largest: bool
    whole_graph: bool
    igraph_batches: int = 1
    _cache: dict[str, Any] | None = None

    def cache(self) -> dict[str, Any]:
        if self._cache is None:
            self._cache = {}
        return self._cache

    def igraph_parts(self) -> list[np.ndarray]:
        parts = max(1, min(self.igraph_batches, len(self.sources)))
        return [part for part in np.array_split(self.sources, parts) if part.size]

    def sample_parts(self) -> list[np.ndarray]:
        return [
            self.sources[start : start + SAMPLE_BATCH]
            for start in range(0, len(self.sources), SAMPLE_BATCH)
        ]


@dataclass
class PathPlan:
    """Which members the searches start from, decided once and shared by every path figure."""

    graph: Graph
    units: list[Unit]
    largest: np.ndarray  # global positions of the largest (weakly) connected component
    exact: bool
    cost: float
    seed: int
    sampled_components: int = 0
    samples: int = 0
    parallel_worth_it: bool = False


def plan_paths(
    graph: Graph,
    *,
    exact_budget: float = EXACT_BUDGET,
    sample_budget: float = SAMPLE_BUDGET,
    min_samples: int = MIN_SAMPLES,
    seed: int = 0,
) -> PathPlan:
    """Decide what to search from: every member (exact) or pivots in the largest components.

    Parameters
    ----------
    graph : Graph
    exact_budget : float
        Search steps (members x (members + ties), summed over components) up to which every
        figure is exact.
    sample_budget : float
        Steps to spend on each estimated component: pivots = sample_budget / (members + ties),
        rounded up to a whole batch of :data:`SAMPLE_BATCH`.
    min_samples : int
        Fewest pivots in an estimated component.
    seed : int
        Seed of the pivot draw.

    Returns
    -------
    PathPlan

    Examples
    --------
    >>> from netweave.analysis import Graph
    >>> from netweave.analysis.paths import plan_paths
    >>> path = Graph.from_edges([(i, i + 1) for i in range(99)])
    >>> plan_paths(path).exact
    True
    >>> plan = plan_paths(path, exact_budget=1000, sample_budget=2000, min_samples=10)
    >>> plan.exact, plan.samples
    (False, 32)
    """
    if exact_budget < 0 or sample_budget < 0 or min_samples < 1:
        raise AnalysisError("path budgets cannot be negative, and at least one pivot is needed")
    n = graph.number_of_nodes()
    if n == 0:
        return PathPlan(graph, [], np.empty(0, dtype=np.int64), True, 0.0, seed)
    membership = graph.component_membership()
    sizes = np.bincount(membership)
    ties = np.bincount(membership[graph.sources], minlength=sizes.size)
    largest_label = int(np.argmax(sizes))
    largest = np.flatnonzero(membership == largest_label)
    costs = sizes.astype(np.float64) * (sizes + ties)
    costs[sizes < 2] = 0.0
    sampled: dict[int, int] = {}
    remaining = float(costs.sum())
    for label in np.argsort(-costs, kind="stable").tolist():
        if remaining <= exact_budget or costs[label] == 0:
            break
        steps = float(sizes[label] + ties[label])
        pivots = max(min_samples, math.ceil(sample_budget / steps))
        pivots = SAMPLE_BATCH * math.ceil(pivots / SAMPLE_BATCH)
        if pivots >= sizes[label]:
            continue
        sampled[label] = pivots
        remaining -= float(costs[label]) - pivots * steps
    rng = np.random.default_rng(seed)
    order = np.argsort(membership, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    units: list[Unit] = []
    for label, pivots in sorted(sampled.items(), key=lambda item: -sizes[item[0]]):
        nodes = np.sort(order[bounds[label] : bounds[label + 1]])
        units.append(
            Unit(
                nodes=nodes,
                sources=np.sort(rng.choice(nodes.size, size=pivots, replace=False)),
                sampled=True,
                component_size=int(nodes.size),
                holds_largest=label == largest_label,
                whole_graph=nodes.size == n,
                igraph_batches=IGRAPH_BATCHES,
            )
        )
    groups: list[list[int]] = []
    group: list[int] = []
    group_size = 0
    for label in np.argsort(-sizes, kind="stable").tolist():
        if sizes[label] < 2 or label in sampled:
            continue
        if group and group_size + sizes[label] > GROUP_NODES:
            groups.append(group)
            group, group_size = [], 0
        group.append(label)
        group_size += int(sizes[label])
    if group:
        groups.append(group)
    for labels in groups:
        nodes = np.sort(
            np.concatenate([order[bounds[label] : bounds[label + 1]] for label in labels])
        )
        heavy = float(costs[labels].sum()) >= PARALLEL_MIN_COST
        units.append(
            Unit(
                nodes=nodes,
                sources=np.arange(nodes.size),
                sampled=False,
                component_size=0,
                holds_largest=largest_label in labels,
                whole_graph=nodes.size == n,
                igraph_batches=IGRAPH_BATCHES if heavy else 1,
            )
        )
    return PathPlan(
        graph=graph,
        units=units,
        largest=largest,
        exact=not sampled,
        cost=remaining,
        seed=seed,
        sampled_components=len(sampled),
        samples=sum(sampled.values()),
        parallel_worth_it=remaining >= PARALLEL_MIN_COST,
    )


# --- the engines ----------------------------------------------------------------------------------


def _unit_igraph(plan: PathPlan, unit: Unit, skeleton: bool) -> Any:
    key = "skeleton_igraph" if skeleton and plan.graph.directed else "igraph"
    cache = unit.cache()
    if key not in cache:
        whole = plan.graph.skeleton_igraph() if key == "skeleton_igraph" else plan.graph.to_igraph()
        cache[key] = whole if unit.whole_graph else whole.induced_subgraph(unit.nodes.tolist())
    return cache[key]


def _unit_csr(plan: PathPlan, unit: Unit, skeleton: bool, kind: str = "int8") -> Any:
    """The unit's adjacency: kind "int8" (SciPy searches), "backward" or "forward" (float32)."""
    skeleton = skeleton or not plan.graph.directed
    key = f"{'skeleton' if skeleton else 'graph'}-{kind}"
    cache = unit.cache()
    if key not in cache:
        if kind == "int8":
            whole = plan.graph.skeleton_csr() if skeleton else plan.graph.csr()
            cache[key] = whole if unit.whole_graph else whole[unit.nodes][:, unit.nodes]
        elif kind == "forward" and not skeleton:
            # Paths arrive at a member along the ties that point at it.
            cache[key] = _unit_csr(plan, unit, skeleton, "backward").T.tocsr()
        elif kind == "forward":
            cache[key] = _unit_csr(plan, unit, skeleton, "backward")
        else:
            cache[key] = _unit_csr(plan, unit, skeleton, "int8").astype(np.float32)
    return cache[key]


def _searches(matrix: Any, sources: np.ndarray, directed: bool) -> Iterator[tuple[Any, Any]]:
    """Distances from each source, a chunk of sources at a time (inf where unreachable)."""
    from scipy.sparse import csgraph

    step = max(1, CHUNK_CELLS // max(matrix.shape[0], 1))
    for start in range(0, len(sources), step):
        chunk = sources[start : start + step]
        yield (
            chunk,
            csgraph.shortest_path(
                matrix, method="D", directed=directed, unweighted=True, indices=chunk
            ),
        )


class _TooDeep(Exception):
    """The searches went deeper than MAX_LEVELS, or path counts overflowed."""


def _sample_batch(
    forward: Any, backward: Any, sources: np.ndarray, *, linear: bool, rows: bool
) -> dict[str, Any]:
    """Brandes' dependencies from a batch of sources at once, with sparse matrix products.

    ``forward @ x`` sums x over each member's in-neighbours, ``backward @ x`` over its
    out-neighbours. Returns per-member sums (and sums of squares) of the sources' dependency
    contributions and of their distances, and per source the sum of distances, eccentricity and
    farthest member.
    """
    n = forward.shape[0]
    width = sources.size
    columns = np.arange(width)
    paths = np.zeros((n, width), dtype=np.float32)
    paths[sources, columns] = 1.0
    distance = np.full((n, width), -1, dtype=np.int16)
    distance[sources, columns] = 0
    frontier = paths.copy()
    levels = [distance == 0]
    while True:
        arriving = forward @ frontier
        arriving[distance >= 0] = 0.0
        reached = arriving > 0
        if not reached.any():
            break
        if len(levels) > MAX_LEVELS:
            raise _TooDeep
        distance[reached] = len(levels)
        paths += arriving
        frontier = arriving
        levels.append(reached)
    if not np.isfinite(paths).all():
        raise _TooDeep
    inverse = np.zeros_like(paths)
    np.divide(1.0, paths, out=inverse, where=paths > 0)
    dependency = np.zeros_like(paths)
    for depth in range(len(levels) - 1, 0, -1):
        start = np.float32(1.0 / depth if linear else 1.0)
        weight = np.where(levels[depth], inverse * (start + dependency), np.float32(0.0))
        spread = backward @ weight
        spread *= paths
        dependency += np.where(levels[depth - 1], spread, np.float32(0.0))
    if linear:
        dependency *= np.maximum(distance, 0)
    dependency[sources, columns] = 0.0
    positive = np.maximum(distance, 0).astype(np.int32)
    result: dict[str, Any] = {
        "sum": dependency.sum(axis=1, dtype=np.float64),
        "squares": np.square(dependency, dtype=np.float64).sum(axis=1),
        "total": positive.sum(axis=1, dtype=np.int64),
        "distance_squares": np.square(positive).sum(axis=1, dtype=np.int64),
        "reached": (distance > 0).sum(axis=1, dtype=np.int64),
    }
    if rows:
        result["rows"] = (
            sources,
            positive.sum(axis=0, dtype=np.int64),
            positive.max(axis=0),
            positive.argmax(axis=0),
        )
    return result


# --- work items -----------------------------------------------------------------------------------
# ("sample", unit, batch, skeleton): a NumPy batch in a sampled unit;
# ("betweenness", unit, batch, skeleton): igraph betweenness from a batch of an exact unit;
# ("distances", unit, 0, False): SciPy searches from every member of an exact unit.


def _items(plan: PathPlan, skeleton: bool) -> list[tuple[str, int, int, bool]]:
    passes = [False, True] if skeleton and plan.graph.directed else [False]
    # A directed sampled unit is always searched on its skeleton too: its average path length
    # and diameter are undirected.
    sample_passes = [False, True] if plan.graph.directed else [False]
    items: list[tuple[str, int, int, bool]] = []
    for index, unit in enumerate(plan.units):
        if unit.sampled:
            items += [
                ("sample", index, batch, on_skeleton)
                for on_skeleton in sample_passes
                for batch in range(len(unit.sample_parts()))
            ]
    for index, unit in enumerate(plan.units):
        if not unit.sampled:
            items += [
                ("betweenness", index, batch, on_skeleton)
                for on_skeleton in passes
                for batch in range(len(unit.igraph_parts()))
            ]
    items += [
        ("distances", index, part, False)
        for index, unit in enumerate(plan.units)
        if not unit.sampled
        for part in range(len(unit.igraph_parts()))
    ]
    return items


def _run_item(plan: PathPlan, item: tuple[str, int, int, bool]) -> Any:
    kind, index, batch, skeleton = item
    unit = plan.units[index]
    directed = plan.graph.directed and not skeleton
    if kind == "sample":
        try:
            return _sample_batch(
                _unit_csr(plan, unit, skeleton, "forward"),
                _unit_csr(plan, unit, skeleton, "backward"),
                unit.sample_parts()[batch],
                linear=not directed,
                rows=unit.holds_largest and not directed,
            )
        except _TooDeep:
            return None
    if kind == "betweenness":
        return _igraph_betweenness(
            plan,
            unit,
            unit.igraph_parts()[batch],
            skeleton,
            everyone=(not unit.sampled and len(unit.igraph_parts()) == 1),
        )
    return _exact_distance_part(plan, unit, batch)


def _igraph_betweenness(
    plan: PathPlan, unit: Unit, sources: np.ndarray, skeleton: bool, *, everyone: bool
) -> np.ndarray:
    graph = _unit_igraph(plan, unit, skeleton)
    directed = plan.graph.directed and not skeleton
    if everyone:
        return np.asarray(graph.betweenness(directed=directed), dtype=np.float64)
    values = graph.betweenness(directed=directed, sources=sources.tolist())
    return np.asarray(values, dtype=np.float64)


def _distance_statistics(
    plan: PathPlan, unit: Unit, sources: np.ndarray, skeleton_sources: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Any]]:
    """SciPy searches from ``sources``: per-member distance sums, squares and reach counts (along
    the ties), and per-source rows for the largest component, taken undirected (from
    ``skeleton_sources`` in a directed network: by default the sources themselves)."""
    graph = plan.graph
    width = unit.nodes.size
    total = np.zeros(width)
    squares = np.zeros(width)
    reached = np.zeros(width, dtype=np.int64)
    rows: list[Any] = []
    for chunk, distances in _searches(_unit_csr(plan, unit, False), sources, graph.directed):
        finite = np.isfinite(distances)
        distances[~finite] = 0.0
        total += distances.sum(axis=0)
        squares += np.square(distances).sum(axis=0)
        reached += finite.sum(axis=0)
        reached[chunk] -= 1  # a member reaches itself at distance 0
        if unit.holds_largest and not graph.directed:
            rows.append(_row_summary(chunk, distances))
    if unit.holds_largest and graph.directed:
        if skeleton_sources is None:
            skeleton_sources = sources
        for chunk, distances in _searches(_unit_csr(plan, unit, True), skeleton_sources, False):
            distances[~np.isfinite(distances)] = 0.0
            rows.append(_row_summary(chunk, distances))
    return total, squares, reached, rows


def _exact_distance_part(plan: PathPlan, unit: Unit, part: int) -> dict[str, Any]:
    """Searches from one part of an exact unit's members (the parts add up to all of them)."""
    parts = unit.igraph_parts()
    largest = np.searchsorted(unit.nodes, plan.largest) if unit.holds_largest else None
    skeleton_sources = None
    if largest is not None and plan.graph.directed:
        skeleton_sources = np.array_split(largest, len(parts))[part]
    total, squares, reached, rows = _distance_statistics(plan, unit, parts[part], skeleton_sources)
    return {"total": total, "squares": squares, "reached": reached, "rows": rows}


def _row_summary(chunk: np.ndarray, distances: np.ndarray) -> tuple[Any, Any, Any, Any]:
    """Per source: sum of distances, eccentricity and farthest member."""
    return chunk, distances.sum(axis=1), distances.max(axis=1), distances.argmax(axis=1)


# --- running the work -----------------------------------------------------------------------------


def _take(counter: Any, total: int) -> int | None:
    with counter.get_lock():
        index = int(counter.value)
        if index >= total:
            return None
        counter.value = index + 1
    return index


def _child(connection: Any, plan: PathPlan, items: list[Any], counter: Any) -> None:
    done: dict[int, Any] = {}
    try:
        while (index := _take(counter, len(items))) is not None:
            done[index] = _run_item(plan, items[index])
        connection.send(("ok", done))
    except BaseException as error:  # the parent redoes what is missing; tell it why
        connection.send(("error", (repr(error), done)))
    finally:
        connection.close()


@dataclass
class PathFigures:
    """Every path figure of a network, with what was estimated and how well.

    ``betweenness`` and ``closeness`` are NetworkX's normalized values per node position;
    ``brokerage`` is betweenness on the undirected skeleton (the same array when undirected;
    None for a directed network unless the job was asked for it).
    Errors are standard errors per node (None when exact); ``diameter_bounds`` is (lower, upper)
    when the diameter was estimated.
    """

    betweenness: np.ndarray
    betweenness_error: np.ndarray | None
    brokerage: np.ndarray | None
    closeness: np.ndarray
    closeness_error: np.ndarray | None
    average_path_length: float | None
    average_path_length_error: float | None
    diameter: int | None
    diameter_bounds: tuple[int, int] | None
    fallback_units: int = 0


class PathJob:
    """Runs every path search of a plan, in forked workers when that pays.

    ``workers`` counts processes including the caller's: with 2, one child starts searching at
    once while the caller computes other figures; :meth:`result` then joins in, taking pieces of
    work from the same counter, and combines everything. Nothing is forked for small networks,
    when fork is unavailable, or with ``workers=1``. With ``skeleton=True`` a directed network's
    undirected skeleton is searched too, for :attr:`PathFigures.brokerage`.

    Examples
    --------
    >>> from netweave.analysis import Graph
    >>> from netweave.analysis.paths import PathJob, plan_paths
    >>> star = Graph.from_edges([("hub", leaf) for leaf in "abcd"])
    >>> figures = PathJob(plan_paths(star)).result()
    >>> figures.betweenness.tolist(), figures.diameter, figures.betweenness_error
    ([1.0, 0.0, 0.0, 0.0, 0.0], 2, None)
    """

    def __init__(self, plan: PathPlan, *, workers: int = 1, skeleton: bool = False) -> None:
        self.plan = plan
        self.skeleton = skeleton
        self.items = _items(plan, skeleton)
        self.children: list[tuple[Any, Any]] = []
        self.counter: Any = None
        self.figures: PathFigures | None = None
        if workers > 1 and plan.parallel_worth_it and len(self.items) > 1:
            self._fork(min(workers - 1, len(self.items) - 1))

    def _fork(self, children: int) -> None:
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self.counter = context.Value("l", 0)
        for _ in range(children):
            receiver, sender = context.Pipe(duplex=False)
            try:
                process = context.Process(
                    target=_child, args=(sender, self.plan, self.items, self.counter)
                )
                process.start()
            except (AssertionError, OSError):  # e.g. a daemonic process may not have children
                receiver.close()
                sender.close()
                continue
            sender.close()
            self.children.append((process, receiver))

    def cancel(self) -> None:
        """Stop the workers (when the caller gives up, e.g. on an error of its own)."""
        for process, receiver in self.children:
            process.terminate()
            process.join()
            receiver.close()
        self.children = []

    def result(self) -> PathFigures:
        """Finish the searches (joining the workers) and combine them into the figures."""
        if self.figures is not None:
            return self.figures
        done: dict[int, Any] = {}
        if self.children:
            while (index := _take(self.counter, len(self.items))) is not None:
                done[index] = _run_item(self.plan, self.items[index])
        for process, receiver in self.children:
            try:
                status, payload = receiver.recv()
            except (EOFError, OSError):
                status, payload = "error", ("the worker process ended early", {})
            receiver.close()
            process.join()
            done.update(payload if status == "ok" else payload[1])
        self.children = []
        for index, item in enumerate(self.items):
            if index not in done:
                done[index] = _run_item(self.plan, item)
        self.figures = _combine(self.plan, self.items, done, self.skeleton)
        return self.figures


def path_figures(plan: PathPlan, *, workers: int = 1, skeleton: bool = False) -> PathFigures:
    """Run a plan's searches and return the figures (see :class:`PathJob`)."""
    return PathJob(plan, workers=workers, skeleton=skeleton).result()


# --- combining ------------------------------------------------------------------------------------


def _combine(plan: PathPlan, items: list[Any], done: dict[int, Any], skeleton: bool) -> PathFigures:
    graph = plan.graph
    n = graph.number_of_nodes()
    betweenness = np.zeros(n)
    skeleton_values = np.zeros(n)
    closeness = np.zeros(n)
    betweenness_error = None if plan.exact else np.zeros(n)
    closeness_error = None if plan.exact else np.zeros(n)
    apl: float | None = None if n == 0 else 0.0
    apl_error: float | None = None
    diameter_value: int | None = None if n == 0 else 0
    bounds: tuple[int, int] | None = None
    fallback_units = 0
    by_unit: dict[int, list[tuple[tuple[str, int, int, bool], Any]]] = {}
    for index, item in enumerate(items):
        by_unit.setdefault(item[1], []).append((item, done[index]))
    for index, unit in enumerate(plan.units):
        results = by_unit.get(index, [])
        if unit.sampled and any(item[0] == "sample" and value is None for item, value in results):
            fallback_units += 1
            results = _fallback(plan, unit)
        if unit.sampled:
            part = _combine_sampled(plan, unit, results)
        else:
            part = _combine_exact(plan, unit, results)
        betweenness[unit.nodes] = part["betweenness"]
        skeleton_values[unit.nodes] = part.get("brokerage", part["betweenness"])
        closeness[unit.nodes] = part["closeness"]
        if betweenness_error is not None and part.get("betweenness_error") is not None:
            betweenness_error[unit.nodes] = part["betweenness_error"]
        if closeness_error is not None and part.get("closeness_error") is not None:
            closeness_error[unit.nodes] = part["closeness_error"]
        if "largest" in part:
            apl, apl_error, diameter_value, bounds = part["largest"]
    if n > 2:
        pairs = (n - 1) * (n - 2)
        scale = 1.0 / pairs if graph.directed else 2.0 / pairs
        betweenness *= scale
        skeleton_values *= 2.0 / pairs
        if betweenness_error is not None:
            betweenness_error *= scale
    brokerage: np.ndarray | None = skeleton_values
    if not graph.directed:
        brokerage = betweenness
    elif not skeleton:
        brokerage = None
    return PathFigures(
        betweenness=betweenness,
        betweenness_error=betweenness_error,
        brokerage=brokerage,
        closeness=closeness,
        closeness_error=closeness_error,
        average_path_length=apl,
        average_path_length_error=apl_error,
        diameter=diameter_value,
        diameter_bounds=bounds,
        fallback_units=fallback_units,
    )


def _combine_exact(plan: PathPlan, unit: Unit, results: list[Any]) -> dict[str, Any]:
    part: dict[str, Any] = {
        "betweenness": np.zeros(unit.nodes.size),
        "brokerage": np.zeros(unit.nodes.size),
    }
    width = unit.nodes.size
    total, squares = np.zeros(width), np.zeros(width)
    reached = np.zeros(width, dtype=np.int64)
    rows: list[Any] = []
    for (kind, _, _, skeleton), value in results:
        if kind == "betweenness":
            part["brokerage" if skeleton else "betweenness"] += value
        elif kind == "distances":
            total += value["total"]
            squares += value["squares"]
            reached += value["reached"]
            rows += value["rows"]
    part["closeness"], _ = _closeness(unit, total, squares, reached, plan.graph)
    if unit.holds_largest:
        part["largest"] = _largest_component_figures(plan, unit, rows)
    if not any(item[3] for item, _ in results):
        del part["brokerage"]
    return part


def _combine_sampled(plan: PathPlan, unit: Unit, results: list[Any]) -> dict[str, Any]:
    """Scale the pivots' contributions up to the whole component, with standard errors."""
    size = unit.component_size
    k = unit.sources.size
    finite_population = math.sqrt(max(0.0, 1.0 - k / size))
    part: dict[str, Any] = {}
    for skeleton in (False, True):
        chosen = [value for item, value in results if item[3] == skeleton]
        if not chosen:
            continue
        if "batch_estimates" in chosen[0]:  # the igraph fallback: spread of batch estimates
            estimates = np.array(chosen[0]["batch_estimates"])
            weights = np.array(chosen[0]["batch_sizes"], dtype=np.float64)
            mean = np.average(estimates, axis=0, weights=weights)
            spread = np.sqrt(
                np.average((estimates - mean) ** 2, axis=0, weights=weights)
                * len(weights)
                / max(len(weights) - 1, 1)
            )
            values, errors = mean, spread / math.sqrt(len(weights))
        else:
            total = np.sum([value["sum"] for value in chosen], axis=0)
            squares = np.sum([value["squares"] for value in chosen], axis=0)
            mean = total / k
            variance = np.maximum(squares / k - mean**2, 0.0) * k / max(k - 1, 1)
            values = size * mean
            errors = size * np.sqrt(variance / k) * finite_population
        if skeleton:
            part["brokerage"] = values
        else:
            part["betweenness"] = values
            part["betweenness_error"] = errors
        graph_pass = not skeleton
        if graph_pass:
            total_d = np.sum([value["total"] for value in chosen], axis=0).astype(np.float64)
            squares_d = np.sum([value["distance_squares"] for value in chosen], axis=0)
            reached = np.sum([value["reached"] for value in chosen], axis=0)
            part["closeness"], part["closeness_error"] = _closeness(
                unit, total_d, squares_d.astype(np.float64), reached, plan.graph
            )
        if unit.holds_largest and (skeleton or not plan.graph.directed):
            rows = [value["rows"] for value in chosen if "rows" in value]
            if rows:
                part["largest"] = _largest_component_figures(plan, unit, rows)
    return part


def _fallback(plan: PathPlan, unit: Unit) -> list[Any]:
    """A sampled unit too deep for the batch engine: igraph and SciPy from the same pivots."""
    total, squares, reached, rows = _distance_statistics(plan, unit, unit.sources)
    parts = unit.igraph_parts()
    results: list[Any] = []
    for on_skeleton in [False, True] if plan.graph.directed else [False]:
        payload: dict[str, Any] = {
            "batch_estimates": [
                _igraph_betweenness(plan, unit, part, on_skeleton, everyone=False)
                * (unit.component_size / part.size)
                for part in parts
            ],
            "batch_sizes": [part.size for part in parts],
        }
        if not on_skeleton:
            payload.update({"total": total, "distance_squares": squares, "reached": reached})
        if unit.holds_largest and (on_skeleton or not plan.graph.directed) and rows:
            payload["rows"] = tuple(np.concatenate([row[at] for row in rows]) for at in range(4))
        results.append((("sample", 0, 0, on_skeleton), payload))
    return results


def _closeness(
    unit: Unit, total: np.ndarray, squares: np.ndarray, reached: np.ndarray, graph: Graph
) -> tuple[np.ndarray, np.ndarray | None]:
    """NetworkX's closeness (wf_improved) from distance sums; estimated in a sampled unit."""
    n = graph.number_of_nodes()
    values = np.zeros(unit.nodes.size)
    if n < 2:
        return values, None
    has = (reached > 0) & (total > 0)
    if not unit.sampled:
        values[has] = reached[has] ** 2 / (total[has] * (n - 1))
        return values, None
    size = unit.component_size
    in_sample = np.zeros(unit.nodes.size, dtype=bool)
    in_sample[unit.sources] = True
    pivots = unit.sources.size - in_sample.astype(np.int64)  # pivots other than the member
    mean = np.zeros(unit.nodes.size)
    mean[has] = total[has] / reached[has]
    share = np.ones(unit.nodes.size)
    if graph.directed:
        share = np.where(pivots > 0, reached / np.maximum(pivots, 1), 0.0)
    reach = share * (size - 1)  # members that reach this one, estimated
    values[has] = reach[has] / ((n - 1) * mean[has])
    count = reached.astype(np.float64)
    several = has & (reached > 1)
    variance = np.zeros(unit.nodes.size)
    variance[several] = (squares[several] / count[several] - mean[several] ** 2) * (
        count[several] / (count[several] - 1)
    )
    finite_population = np.clip(1.0 - count / np.maximum(reach, 1.0), 0.0, 1.0)
    relative = np.zeros(unit.nodes.size)
    relative[several] = (
        np.sqrt(np.maximum(variance[several], 0.0) / count[several] * finite_population[several])
        / mean[several]
    )
    if graph.directed:
        binomial = np.zeros(unit.nodes.size)
        ok = has & (share > 0)
        binomial[ok] = np.sqrt((1 - share[ok]) / (share[ok] * np.maximum(pivots[ok], 1)))
        relative = np.sqrt(relative**2 + binomial**2)
    errors = np.zeros(unit.nodes.size)
    errors[has] = relative[has] * values[has]
    return values, errors


def _largest_component_figures(
    plan: PathPlan, unit: Unit, rows: list[tuple[Any, Any, Any, Any]]
) -> tuple[float, float | None, int, tuple[int, int] | None]:
    """Average path length and diameter of the largest component, from per-source rows."""
    size = plan.largest.size
    if size < 2:
        return 0.0, None, 0, None
    member = np.zeros(unit.nodes.size, dtype=bool)
    member[np.searchsorted(unit.nodes, plan.largest)] = True
    chunks = np.concatenate([np.asarray(row[0]) for row in rows])
    sums = np.concatenate([np.asarray(row[1], dtype=np.float64) for row in rows])
    eccentricities = np.concatenate([np.asarray(row[2]) for row in rows]).astype(np.int64)
    farthest = np.concatenate([np.asarray(row[3]) for row in rows])
    inside = member[chunks]
    sums, eccentricities, farthest = sums[inside], eccentricities[inside], farthest[inside]
    if not unit.sampled:
        return float(sums.sum() / (size * (size - 1))), None, int(eccentricities.max()), None
    means = sums / (size - 1)
    k = means.size
    apl = float(means.mean())
    error = float(means.std(ddof=1) / math.sqrt(k) * math.sqrt(max(0.0, 1 - k / size)))
    lower = int(eccentricities.max())
    upper = int(2 * eccentricities.min())
    # Double sweep: the member farthest from the most eccentric pivot is likely on a diameter.
    far = np.asarray([farthest[int(np.argmax(eccentricities))]])
    for _, distances in _searches(_unit_csr(plan, unit, True), far, False):
        distances[~np.isfinite(distances)] = 0.0
        lower = max(lower, int(distances.max()))
    return apl, error, lower, (lower, max(upper, lower))


# --- public helpers -------------------------------------------------------------------------------


def average_path_length(graph: Graph, **options: Any) -> float | None:
    """Mean distance between two members of the largest connected component.

    For a directed network, the largest weakly connected component taken undirected. Equals
    ``nx.average_shortest_path_length`` of that component (0 for a single member, None for an
    empty network). Estimated above the exact budget (``options`` go to :func:`plan_paths`).

    Examples
    --------
    >>> from netweave.analysis import Graph, average_path_length
    >>> average_path_length(Graph.from_edges([(1, 2), (2, 3), (3, 4), (7, 8)]))
    1.6666666666666667
    """
    return path_figures(plan_paths(graph, **options)).average_path_length


def diameter(graph: Graph, **options: Any) -> int | None:
    """Longest distance between two members of the largest connected component.

    Undirected, as :func:`average_path_length`; equals ``nx.diameter`` of that component. Above
    the exact budget, a lower bound (the report's ``estimated`` field gives the upper one).

    Examples
    --------
    >>> from netweave.analysis import Graph, diameter
    >>> diameter(Graph.from_edges([(1, 2), (2, 3), (3, 4), (7, 8)]))
    3
    """
    return path_figures(plan_paths(graph, **options)).diameter


def summarize_errors(plan: PathPlan, figures: PathFigures) -> dict[str, dict[str, Any]]:
    """The report's ``estimated`` field: which figures are estimates, and how far off they may be.

    Empty when every figure is exact. Errors are one standard error (about a 68% margin; double
    it for about 95%). For betweenness, ``relative_error`` is the median relative standard error
    of the members ranked highest; ``standard_error_max`` is the largest standard error of any
    member, in the same (normalized) units as the values.
    """
    if plan.exact:
        return {}
    sampled = [unit for unit in plan.units if unit.sampled]
    nodes = np.concatenate([unit.nodes for unit in sampled])
    common = {
        "samples": int(plan.samples),
        "of": int(sum(unit.component_size for unit in sampled)),
        "method": "pivots",
    }
    estimated: dict[str, dict[str, Any]] = {}
    if figures.betweenness_error is not None:
        values = figures.betweenness[nodes]
        errors = figures.betweenness_error[nodes]
        top = np.argsort(-values, kind="stable")[: min(TOP_FOR_ERROR, nodes.size)]
        positive = values[top] > 0
        estimated["betweenness"] = {
            **common,
            "method": "pivots, linear scaling" if not plan.graph.directed else "pivots",
            "relative_error": (
                float(np.median(errors[top][positive] / values[top][positive]))
                if positive.any()
                else 0.0
            ),
            "relative_error_of": f"the {int(top.size)} highest values (median)",
            "standard_error_max": float(errors.max()) if errors.size else 0.0,
        }
    if figures.closeness_error is not None:
        values = figures.closeness[nodes]
        errors = figures.closeness_error[nodes]
        positive = values > 0
        relative = errors[positive] / values[positive]
        estimated["closeness"] = {
            **common,
            "relative_error": float(np.percentile(relative, 95)) if relative.size else 0.0,
            "relative_error_of": "all estimated members (95th percentile)",
            "standard_error_max": float(errors.max()) if errors.size else 0.0,
        }
    if any(unit.holds_largest for unit in sampled):
        apl = figures.average_path_length or 0.0
        error = figures.average_path_length_error or 0.0
        estimated["average_path_length"] = {
            **common,
            "relative_error": error / apl if apl else 0.0,
            "standard_error": error,
        }
        lower, upper = figures.diameter_bounds or (figures.diameter, figures.diameter)
        estimated["diameter"] = {**common, "lower_bound": lower, "upper_bound": upper}
    return estimated


def node_values(graph: Graph, values: np.ndarray | Sequence[Any]) -> dict[Hashable, Any]:
    """Pair each node id with its value, as plain Python numbers."""
    plain = values.tolist() if isinstance(values, np.ndarray) else list(values)
    return dict(zip(graph.nodes, plain, strict=True))


def default_workers() -> int:
    """Processes to use for the path searches: the CPUs this process may run on, at most 2."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(2, available))
