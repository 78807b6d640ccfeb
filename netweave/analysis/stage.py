"""The network's structure stage, with its reasons in plain language.

Network weavers describe four stages a network grows through (Krebs and Holley, *Building Smart
Communities through Network Weaving*): **scattered fragments** (clusters that do not reach each
other), a **single hub-and-spoke** (one weaver holds the clusters together), a **multi-hub small
world** (several hubs share that work) and **core/periphery** (a dense core of many weavers, and a
periphery of newcomers and links to the outside). The stage is read from the figures in this order;
the first rule that holds gives the stage (docs/analysis.md explains and defends each threshold):

1. no ties at all -> fragments;
2. fewer than :data:`CONNECTED_PAIRS_MIN` of the pairs of members can reach each other
   (connectedness) -> fragments;
3. one member lies on at least :data:`DOMINANT_BROKERAGE` of the shortest paths between others,
   and on :data:`DOMINANCE_RATIO` times more than anyone else -> hub-and-spoke;
4. a strong core: a real core (:func:`netweave.analysis.roles.core_is_group`: at least 3 members
   with at least half their possible ties among themselves) that fits the Borgatti-Everett
   pattern with correlation :data:`STRONG_CORE_CORRELATION` or more and has more than twice as
   many members as there are busy hubs (rule 5) -> core/periphery;
5. at least two hubs each lie on :data:`HUB_BROKERAGE` of the shortest paths (busy hubs)
   -> multi-hub;
6. a real core that fits with correlation :data:`CORE_CORRELATION` or more -> core/periphery;
7. a network with at least :data:`DENSE` of its possible ties -> core/periphery (all core);
8. two hubs or more -> multi-hub; 9. one hub -> hub-and-spoke;
10. one departure would cut off :data:`FRAGILE_SHARE` of the members or more -> fragments
    (clusters held together by single members);
11. otherwise ties are spread evenly, with no hub and no weak point -> multi-hub (a small world).

Shortest paths here are those of the undirected skeleton: the stage is about the shape of the
network, whichever way its ties point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from netweave.analysis.roles import core_is_group

__all__ = [
    "CONNECTED_PAIRS_MIN",
    "CORE_CORRELATION",
    "DENSE",
    "DOMINANCE_RATIO",
    "DOMINANT_BROKERAGE",
    "FRAGILE_SHARE",
    "HUB_BROKERAGE",
    "STAGES",
    "STRONG_CORE_CORRELATION",
    "stage_of",
    "structure_stage",
]

STAGES = {
    "fragments": "Scattered fragments",
    "hub-and-spoke": "Single hub-and-spoke",
    "multi-hub": "Multi-hub small world",
    "core-periphery": "Core/periphery",
}

CONNECTED_PAIRS_MIN = 0.5
DOMINANT_BROKERAGE = 0.4
DOMINANCE_RATIO = 1.5
HUB_BROKERAGE = 0.2
CORE_CORRELATION = 0.35
STRONG_CORE_CORRELATION = 0.6
DENSE = 0.5
FRAGILE_SHARE = 0.1


def _share(value: float) -> str:
    return f"{value:.0%}"


def _names(names: Sequence[str], limit: int = 3) -> str:
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def structure_stage(
    *,
    nodes: int,
    edges: int,
    density: float,
    connectedness: float | None,
    components: int,
    largest_component: int,
    isolates: int,
    hubs: Sequence[tuple[str, int, float]],
    brokers: Sequence[tuple[str, float]],
    core_size: int,
    core_density: float | None,
    periphery_density: float | None,
    core_correlation: float | None,
    worst_cut: tuple[str, int] | None,
    hub_threshold: float,
    name_format: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Decide the structure stage from the figures (see the module's rules).

    Parameters
    ----------
    nodes, edges, density, connectedness, components, largest_component, isolates
        Whole-network figures (:func:`~netweave.analysis.network_figures`).
    hubs : sequence of (name, partners, brokerage)
        The hubs (:mod:`netweave.analysis.roles`), with their skeleton betweenness.
    brokers : sequence of (name, brokerage)
        The members with the highest skeleton betweenness, highest first (two are enough).
    core_size, core_density, periphery_density, core_correlation
        The Borgatti-Everett fit (:func:`~netweave.analysis.core_periphery`).
    worst_cut : (name, members cut off) or None
        The most damaging single point of failure.
    hub_threshold : float
        Partners from which a member is a hub.
    name_format : callable, optional
        How a member's name is written in the reasons (default: as it is). The web app passes a
        marker here and puts in each viewer's allowed label when it shows the reasons.

    Returns
    -------
    dict
        ``name`` (fragments, hub-and-spoke, multi-hub or core-periphery), ``label`` (for people),
        ``rule`` (which rule decided, 1-11), ``reasons`` (sentences) and ``figures`` (the numbers
        behind them).

    Examples
    --------
    >>> from netweave.analysis.stage import structure_stage
    >>> stage = structure_stage(
    ...     nodes=10, edges=9, density=0.2, connectedness=1.0, components=1,
    ...     largest_component=10, isolates=0, hubs=[("Ana", 9, 1.0)],
    ...     brokers=[("Ana", 1.0), ("Ben", 0.0)], core_size=2, core_density=1.0,
    ...     periphery_density=0.0, core_correlation=1.0, worst_cut=("Ana", 8), hub_threshold=4,
    ... )
    >>> stage["name"], stage["rule"]
    ('hub-and-spoke', 3)
    >>> print(stage["reasons"][0])  # doctest: +NORMALIZE_WHITESPACE
    One member, Ana, lies on 100% of the shortest paths between other members, far more than
    anyone else (next: 0%): the network depends on them.
    """
    show = name_format or str
    top_name, top = brokers[0] if brokers else (None, 0.0)
    top_shown = show(top_name) if top_name is not None else ""
    second = brokers[1][1] if len(brokers) > 1 else 0.0
    ratio = top / second if second > 0 else (float("inf") if top > 0 else 0.0)
    real_core = core_is_group(core_size, core_density)
    cut_share = worst_cut[1] / nodes if worst_cut and nodes else 0.0
    busy_hubs = [hub for hub in hubs if hub[2] >= HUB_BROKERAGE]
    figures: dict[str, Any] = {
        "connectedness": connectedness,
        "largest_component_share": largest_component / nodes if nodes else None,
        "density": density,
        "hubs": len(hubs),
        "hub_threshold": hub_threshold,
        "top_brokerage": top,
        "brokerage_ratio": None if ratio == float("inf") else ratio,
        "hubs_with_brokerage": len(busy_hubs),
        "core_size": core_size,
        "core_density": core_density,
        "periphery_density": periphery_density,
        "core_correlation": core_correlation,
        "worst_cut_share": cut_share,
    }
    hub_names = [show(hub[0]) for hub in hubs]
    hubs_sentence = (
        f"{len(hubs)} hub{'s' if len(hubs) != 1 else ''} (members with at least "
        f"{hub_threshold:.0f} partners): {_names(hub_names)}."
    )
    isolated = (
        f" {isolates} member{'s have' if isolates != 1 else ' has'} no tie at all."
        if isolates
        else ""
    )

    def decide(name: str, rule: int, reasons: list[str]) -> dict[str, Any]:
        return {
            "name": name,
            "label": STAGES[name],
            "rule": rule,
            "reasons": reasons,
            "figures": figures,
        }

    if nodes == 0 or edges == 0:
        return decide(
            "fragments",
            1,
            ["There are no ties yet: every member stands alone." if nodes else "No members yet."],
        )
    if connectedness is not None and connectedness < CONNECTED_PAIRS_MIN:
        return decide(
            "fragments",
            2,
            [
                f"Only {_share(connectedness)} of the pairs of members can reach each other "
                f"through ties: the largest connected group holds {largest_component} of "
                f"{nodes} members, and {components} groups have no tie between them.{isolated}"
            ],
        )
    if top >= DOMINANT_BROKERAGE and ratio >= DOMINANCE_RATIO:
        reasons = [
            f"One member, {top_shown}, lies on {_share(top)} of the shortest paths between other "
            f"members, far more than anyone else (next: {_share(second)}): the network depends "
            "on them."
        ]
        if worst_cut and worst_cut[0] == top_name and worst_cut[1]:
            reasons.append(f"If {top_shown} left, {worst_cut[1]} members would be cut off.")
        return decide("hub-and-spoke", 3, reasons)
    core_reasons = [
        f"A core of {core_size} members holds {_share(core_density or 0.0)} of its possible "
        "ties among themselves, while the other members are loosely tied to each other "
        f"({_share(periphery_density or 0.0)}).",
        f"The network fits the core/periphery pattern with correlation "
        f"{core_correlation or 0.0:.2f}, and no single member holds it together (the most on "
        f"any one member is {_share(top)} of the shortest paths).",
    ]
    if (
        real_core
        and core_correlation is not None
        and core_correlation >= STRONG_CORE_CORRELATION
        and core_size > 2 * len(busy_hubs)
    ):
        return decide("core-periphery", 4, core_reasons)
    if len(busy_hubs) >= 2:
        detail = ", ".join(
            f"{show(name)} {_share(brokerage)}" for name, _, brokerage in busy_hubs[:4]
        )
        return decide(
            "multi-hub",
            5,
            [
                f"{len(busy_hubs)} hubs each lie on at least {_share(HUB_BROKERAGE)} of the "
                f"shortest paths between other members ({detail}): several members hold the "
                "network together, none alone.",
                hubs_sentence,
            ],
        )
    if real_core and core_correlation is not None and core_correlation >= CORE_CORRELATION:
        return decide("core-periphery", 6, core_reasons)
    if density >= DENSE:
        return decide(
            "core-periphery",
            7,
            [
                f"{_share(density)} of all possible ties exist: the network is one dense core, "
                "where nearly everyone is tied to everyone."
            ],
        )
    if len(hubs) >= 2:
        return decide(
            "multi-hub",
            8,
            [
                hubs_sentence,
                "No single member holds the network together and no dense core has formed yet.",
            ],
        )
    if len(hubs) == 1:
        return decide(
            "hub-and-spoke",
            9,
            [
                f"One hub, {hub_names[0]}, has far more partners than anyone else, and no dense "
                "core has formed around it.",
            ],
        )
    if cut_share >= FRAGILE_SHARE and worst_cut:
        return decide(
            "fragments",
            10,
            [
                "No member stands out as a hub and there is no dense core.",
                f"Clusters hang together through single members: if {show(worst_cut[0])} left, "
                f"{worst_cut[1]} members ({_share(cut_share)}) would be cut off.",
            ],
        )
    return decide(
        "multi-hub",
        11,
        [
            "Ties are spread evenly: no member stands out as a hub, there is no dense core, and "
            f"no single departure would cut off {_share(FRAGILE_SHARE)} of the members.",
            "Like a small world, many members share the work of connecting the others.",
        ],
    )


def stage_of(graph: Any, *, seed: int = 0) -> dict[str, Any]:
    """The structure stage of a network (computes its full report).

    Examples
    --------
    >>> from netweave.analysis import Graph
    >>> from netweave.analysis.stage import stage_of
    >>> stage_of(Graph.from_edges([("a", "b")], nodes="cdefgh"))["name"]
    'fragments'
    """
    from netweave.analysis.report import network_report

    stage: dict[str, Any] = network_report(graph, seed=seed)["stage"]
    return stage
