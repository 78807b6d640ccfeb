"""Comparing two snapshots of a network: what changed between two survey waves.

Members are matched by node id. The comparison gives the change in the whole-network figures,
who joined and who left, the ties that appeared and disappeared, who moved from the periphery into
the core (the Borgatti-Everett core of each snapshot) and back, how the structure stage changed,
and a few plain-language sentences that say it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from netweave.analysis.exceptions import AnalysisError
from netweave.analysis.graph import Graph
from netweave.analysis.stage import STAGES

__all__ = ["COMPARED_FIGURES", "STAGE_ORDER", "compare_snapshots"]

#: The stages in the order a network grows through them.
STAGE_ORDER = tuple(STAGES)

COMPARED_FIGURES = (
    "nodes",
    "edges",
    "density",
    "components",
    "largest_component",
    "connectedness",
    "isolates",
    "average_degree",
    "degree_centralization",
    "transitivity",
    "average_clustering",
    "average_path_length",
    "diameter",
    "degree_assortativity",
)


def compare_snapshots(
    before: Graph,
    after: Graph,
    *,
    before_report: dict[str, Any] | None = None,
    after_report: dict[str, Any] | None = None,
    seed: int = 0,
    workers: int | None = None,
) -> dict[str, Any]:
    """Compare two snapshots of the same network.

    Parameters
    ----------
    before, after : Graph
        The two snapshots; both directed or both undirected. Members are matched by node id.
    before_report, after_report : dict, optional
        Their :func:`~netweave.analysis.network_report` output, if already computed.
    seed, workers
        Passed to :func:`~netweave.analysis.network_report` for the reports it computes.

    Returns
    -------
    dict
        ``figures``: for each of :data:`COMPARED_FIGURES` (and ``modularity``, ``core_size``)
        its ``before``, ``after`` and ``change`` (None where a value is missing);
        ``joined`` and ``left``: node ids; ``new_ties`` and ``lost_ties``: (source, target)
        pairs; ``moved_to_core`` and ``moved_to_periphery``: members present in both snapshots
        who entered or left the core; ``stage``: ``before``, ``after``, ``changed`` and
        ``direction`` (``forward`` along fragments -> hub-and-spoke -> multi-hub ->
        core-periphery, ``backward`` or ``same``); ``summary``: sentences for people.

    Raises
    ------
    AnalysisError
        One snapshot is directed and the other is not.

    Examples
    --------
    >>> from netweave.analysis import Graph, compare_snapshots
    >>> wave1 = Graph.from_edges([("ana", "ben"), ("ben", "cleo")], nodes=["dan"])
    >>> wave2 = Graph.from_edges([("ana", "ben"), ("ana", "cleo"), ("cleo", "eve")])
    >>> change = compare_snapshots(wave1, wave2)
    >>> change["joined"], change["left"]
    (['eve'], ['dan'])
    >>> change["new_ties"], change["lost_ties"]
    ([('ana', 'cleo'), ('cleo', 'eve')], [('ben', 'cleo')])
    >>> change["figures"]["edges"]
    {'before': 2, 'after': 3, 'change': 1}
    >>> change["summary"][0]
    '1 member joined and 1 left.'
    """
    if before.directed != after.directed:
        raise AnalysisError(
            "cannot compare a directed snapshot with an undirected one: read both the same way"
        )
    from netweave.analysis.report import network_report

    if before_report is None:
        before_report = network_report(before, seed=seed, workers=workers)
    if after_report is None:
        after_report = network_report(after, seed=seed, workers=workers)

    before_ids = set(before.nodes)
    after_ids = set(after.nodes)
    joined = [node for node in after.nodes if node not in before_ids]
    left = [node for node in before.nodes if node not in after_ids]
    new_ties, lost_ties = _tie_changes(before, after)

    before_core = set(before_report["core_periphery"]["core"])
    after_core = set(after_report["core_periphery"]["core"])
    moved_to_core = [
        node
        for node in after.nodes
        if node in before_ids and node in after_core and node not in before_core
    ]
    moved_to_periphery = [
        node
        for node in after.nodes
        if node in before_ids and node in before_core and node not in after_core
    ]

    figures: dict[str, dict[str, Any]] = {}
    for name in COMPARED_FIGURES:
        figures[name] = _change(before_report.get(name), after_report.get(name))
    figures["modularity"] = _change(
        before_report["communities"]["modularity"], after_report["communities"]["modularity"]
    )
    figures["core_size"] = _change(len(before_core), len(after_core))

    stage_before = before_report["stage"]["name"]
    stage_after = after_report["stage"]["name"]
    step = STAGE_ORDER.index(stage_after) - STAGE_ORDER.index(stage_before)
    stage = {
        "before": stage_before,
        "after": stage_after,
        "changed": stage_before != stage_after,
        "direction": "forward" if step > 0 else "backward" if step < 0 else "same",
        "before_label": before_report["stage"]["label"],
        "after_label": after_report["stage"]["label"],
    }
    return {
        "figures": figures,
        "joined": joined,
        "left": left,
        "new_ties": new_ties,
        "lost_ties": lost_ties,
        "moved_to_core": moved_to_core,
        "moved_to_periphery": moved_to_periphery,
        "stage": stage,
        "summary": _summary(
            figures, joined, left, new_ties, lost_ties, moved_to_core, moved_to_periphery, stage
        ),
    }


def _change(before: Any, after: Any) -> dict[str, Any]:
    change = None
    if isinstance(before, int | float) and isinstance(after, int | float):
        change = after - before
        if isinstance(change, float):
            change = float(change)
    return {"before": before, "after": after, "change": change}


def _tie_changes(
    before: Graph, after: Graph
) -> tuple[list[tuple[Hashable, Hashable]], list[tuple[Hashable, Hashable]]]:
    """Ties only in ``after`` and ties only in ``before``, matched by node id."""
    ids: list[Hashable] = list(before.nodes)
    position = {node: at for at, node in enumerate(ids)}
    for node in after.nodes:
        if node not in position:
            position[node] = len(ids)
            ids.append(node)
    remap = np.array([position[node] for node in after.nodes], dtype=np.int64)
    size = max(len(ids), 1)

    def keys(sources: np.ndarray, targets: np.ndarray) -> np.ndarray:
        if not before.directed:
            sources, targets = np.minimum(sources, targets), np.maximum(sources, targets)
        return sources * size + targets

    old = keys(before.sources, before.targets)
    new = keys(
        remap[after.sources] if after.sources.size else after.sources,
        remap[after.targets] if after.targets.size else after.targets,
    )
    appeared = np.setdiff1d(new, old)
    vanished = np.setdiff1d(old, new)

    def pairs(found: np.ndarray) -> list[tuple[Hashable, Hashable]]:
        return [(ids[key // size], ids[key % size]) for key in found.tolist()]

    return pairs(appeared), pairs(vanished)


def _percent(value: float) -> str:
    return f"{value:.1%}"


def _summary(
    figures: dict[str, dict[str, Any]],
    joined: list[Any],
    left: list[Any],
    new_ties: list[Any],
    lost_ties: list[Any],
    moved_to_core: list[Any],
    moved_to_periphery: list[Any],
    stage: dict[str, Any],
) -> list[str]:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    lines = []
    if joined or left:
        lines.append(f"{plural(len(joined), 'member')} joined and {len(left)} left.")
    else:
        lines.append("Nobody joined or left.")
    lines.append(f"{plural(len(new_ties), 'new tie')} and {len(lost_ties)} lost.")
    density = figures["density"]
    if density["change"] is not None:
        if abs(density["change"]) < 0.0005:
            lines.append(f"Density stayed at {_percent(density['after'])}.")
        else:
            verb = "rose" if density["change"] > 0 else "fell"
            lines.append(
                f"Density {verb} from {_percent(density['before'])} to "
                f"{_percent(density['after'])}."
            )
    components = figures["components"]
    if components["change"]:
        lines.append(
            f"The network now falls into {plural(components['after'], 'separate group')} "
            f"(it was {components['before']})."
        )
    if moved_to_core:
        lines.append(
            f"{plural(len(moved_to_core), 'member')} moved from the periphery into the core."
        )
    if moved_to_periphery:
        lines.append(
            f"{plural(len(moved_to_periphery), 'member')} moved from the core to the periphery."
        )
    if stage["changed"]:
        way = "forward" if stage["direction"] == "forward" else "back"
        lines.append(
            f"The structure moved {way} from {stage['before_label']} to {stage['after_label']}."
        )
    else:
        lines.append(f"The structure stage is still {stage['after_label']}.")
    return lines
