"""The full network report: every figure of the library in one plain dict, and its text form.

:func:`network_report` is what ``netweave analyze`` prints and what the platform stores with a
snapshot. Its keys are listed in :data:`REPORT_KEYS`; ``node_metrics`` maps each node id to its
``degree`` (with ``in_degree`` and ``out_degree`` when directed), ``betweenness``, ``closeness``,
``pagerank``, ``coreness``, ``community``, ``role`` and ``cuts_off`` (members its departure would
cut off). ``exact`` says whether every path figure is exact; when not, ``estimated`` says which
figures were estimated from how many pivots and how large their error can be (see
:mod:`netweave.analysis.paths`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from netweave.analysis.centrality import coreness_array, pagerank_array
from netweave.analysis.communities import community_array
from netweave.analysis.coreperiphery import block_densities, core_periphery_array
from netweave.analysis.figures import network_figures
from netweave.analysis.fragility import brokers, cut_off_array, ranked_single_points
from netweave.analysis.graph import Graph
from netweave.analysis.paths import (
    EXACT_BUDGET,
    MIN_SAMPLES,
    SAMPLE_BUDGET,
    PathJob,
    default_workers,
    plan_paths,
    summarize_errors,
)
from netweave.analysis.roles import hub_threshold, role_array
from netweave.analysis.stage import structure_stage

__all__ = ["REPORT_KEYS", "REPORT_STEPS", "network_report", "render_text"]

REPORT_STEPS = (
    "whole-network figures",
    "centrality",
    "communities",
    "core and periphery",
    "single points of failure",
    "shortest paths",
    "roles and stage",
)

REPORT_KEYS = (
    "name",
    "nodes",
    "edges",
    "directed",
    "density",
    "reciprocity",
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
    "communities",
    "core_periphery",
    "hubs",
    "brokers",
    "single_points_of_failure",
    "stage",
    "exact",
    "estimated",
    "warnings",
    "node_metrics",
)


def network_report(
    graph: Graph,
    *,
    seed: int = 0,
    workers: int | None = None,
    exact_budget: float = EXACT_BUDGET,
    sample_budget: float = SAMPLE_BUDGET,
    min_samples: int = MIN_SAMPLES,
    progress: Callable[[str], None] | None = None,
    name_format: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Compute every figure of the library for one network.

    Parameters
    ----------
    graph : Graph
    seed : int
        Seed for the community search and the choice of pivots: the same network and seed give
        the same report.
    workers : int, optional
        Processes for the path searches (default: the CPUs available, at most 2).
    exact_budget, sample_budget, min_samples
        When path figures are estimated, and from how many pivots (see
        :func:`netweave.analysis.paths.plan_paths`).
    progress : callable, optional
        Called with the name of each step (one of :data:`REPORT_STEPS`) as it starts.
    name_format : callable, optional
        How members are named in the stage's reasons (see
        :func:`netweave.analysis.structure_stage`).

    Returns
    -------
    dict
        The keys of :data:`REPORT_KEYS` (``reciprocity`` only for directed networks), plain
        Python values throughout.

    Examples
    --------
    >>> from netweave.analysis import Graph, network_report
    >>> hub = [("hub", spoke) for spoke in "abcdefgh"]
    >>> report = network_report(Graph.from_edges(hub + [("a", "b")]))
    >>> report["nodes"], report["edges"], report["diameter"], report["hubs"]
    (9, 9, 2, ['hub'])
    >>> report["stage"]["name"]
    'hub-and-spoke'
    >>> hub = report["node_metrics"]["hub"]
    >>> hub["role"], round(hub["betweenness"], 4), hub["cuts_off"]
    ('hub', 0.9643, 6)
    """

    def step(name: str) -> None:
        if progress is not None:
            progress(name)

    plan = plan_paths(
        graph,
        exact_budget=exact_budget,
        sample_budget=sample_budget,
        min_samples=min_samples,
        seed=seed,
    )
    job = PathJob(plan, workers=default_workers() if workers is None else workers, skeleton=True)
    try:
        return _report(graph, plan, job, seed=seed, step=step, name_format=name_format)
    except BaseException:
        job.cancel()
        raise


def _report(
    graph: Graph,
    plan: Any,
    job: PathJob,
    *,
    seed: int,
    step: Callable[[str], None],
    name_format: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    n = graph.number_of_nodes()
    step(REPORT_STEPS[0])
    figures = network_figures(graph)

    step(REPORT_STEPS[1])
    degree = graph.degree_array()
    partners = graph.skeleton_degree_array()
    pagerank = pagerank_array(graph)
    coreness = coreness_array(graph)

    step(REPORT_STEPS[2])
    communities, modularity = community_array(graph, seed=seed)
    community_sizes = np.bincount(communities[communities >= 0]) if n else np.zeros(0, np.int64)

    step(REPORT_STEPS[3])
    in_core, correlation = core_periphery_array(graph, coreness=coreness)
    densities = block_densities(graph, in_core)

    step(REPORT_STEPS[4])
    cut_off, pieces = cut_off_array(graph)

    step(REPORT_STEPS[5])
    paths = job.result()
    betweenness = paths.betweenness
    brokerage = paths.brokerage if paths.brokerage is not None else betweenness

    step(REPORT_STEPS[6])
    labels = role_array(
        graph, in_core=in_core, core_density=densities["core_density"], communities=communities
    )
    threshold = hub_threshold(partners) if n else 0.0
    hubs = np.flatnonzero(partners >= threshold)
    hubs = hubs[np.lexsort((hubs, -partners[hubs]))]
    ids = graph.nodes
    single_points = ranked_single_points(graph, cut_off, pieces)
    top_brokers = brokers(graph, betweenness=betweenness, communities=communities)
    core_ids = [ids[position] for position in np.flatnonzero(in_core).tolist()]
    report: dict[str, Any] = {"name": graph.name}
    report.update(figures)
    report.update(
        {
            "average_path_length": paths.average_path_length,
            "diameter": paths.diameter,
        }
    )
    report["degree_assortativity"] = report.pop("degree_assortativity")
    report["communities"] = {
        "count": int(community_sizes.size),
        "modularity": modularity,
        "sizes": community_sizes.tolist(),
    }
    report["core_periphery"] = {"core": core_ids, "correlation": correlation, **densities}
    report["hubs"] = [ids[hub] for hub in hubs.tolist()]
    report["brokers"] = top_brokers
    report["single_points_of_failure"] = single_points
    top = np.argsort(-brokerage, kind="stable")[:2] if n else np.zeros(0, np.int64)
    worst = single_points[0] if single_points else None
    report["stage"] = structure_stage(
        nodes=n,
        edges=graph.number_of_edges(),
        density=figures["density"],
        connectedness=figures["connectedness"],
        components=figures["components"],
        largest_component=figures["largest_component"],
        isolates=figures["isolates"],
        hubs=[
            (graph.label(ids[hub]), int(partners[hub]), float(brokerage[hub]))
            for hub in hubs[np.argsort(-brokerage[hubs], kind="stable")].tolist()
        ],
        brokers=[(graph.label(ids[member]), float(brokerage[member])) for member in top.tolist()],
        core_size=len(core_ids),
        core_density=densities["core_density"],
        periphery_density=densities["periphery_density"],
        core_correlation=correlation,
        worst_cut=(graph.label(worst["node"]), worst["cuts_off"]) if worst else None,
        name_format=name_format,
        hub_threshold=threshold,
    )
    report["exact"] = plan.exact
    report["estimated"] = summarize_errors(plan, paths)
    report["warnings"] = list(graph.warnings)
    report["node_metrics"] = _node_metrics(
        graph,
        degree=degree,
        betweenness=betweenness,
        closeness=paths.closeness,
        pagerank=pagerank,
        coreness=coreness,
        communities=communities,
        roles=labels,
        cut_off=cut_off,
    )
    return report


def _node_metrics(graph: Graph, **columns: Any) -> dict[Any, dict[str, Any]]:
    names = ["degree"]
    values: list[list[Any]] = [columns["degree"].tolist()]
    if graph.directed:
        names += ["in_degree", "out_degree"]
        values += [graph.in_degree_array().tolist(), graph.out_degree_array().tolist()]
    communities = [None if label < 0 else label for label in columns["communities"].tolist()]
    names += ["betweenness", "closeness", "pagerank", "coreness", "community", "role", "cuts_off"]
    values += [
        columns["betweenness"].tolist(),
        columns["closeness"].tolist(),
        columns["pagerank"].tolist(),
        columns["coreness"].tolist(),
        communities,
        list(columns["roles"]),
        columns["cut_off"].tolist(),
    ]
    return {
        node: dict(zip(names, row, strict=True))
        for node, row in zip(graph.nodes, zip(*values, strict=True), strict=True)
    }


def _number(value: Any, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def render_text(
    report: dict[str, Any], *, labels: dict[Any, str] | None = None, top: int = 10
) -> str:
    """The report as text for people: figures, stage and its reasons, who matters and why.

    Parameters
    ----------
    report : dict
        From :func:`network_report`.
    labels : dict, optional
        How to name node ids (default: the ids).
    top : int
        How many members to list per list.

    Examples
    --------
    >>> from netweave.analysis import Graph, network_report, render_text
    >>> text = render_text(network_report(Graph.from_edges([("a", "b"), ("b", "c")])))
    >>> print(text.splitlines()[0])
    Network: 3 members, 2 ties (undirected)
    """
    labels = labels or {}

    def name(node: Any) -> str:
        return labels.get(node, str(node))

    n = report["nodes"]
    kind = "directed" if report["directed"] else "undirected"
    title = f"Network {report['name']}" if report.get("name") else "Network"
    lines = [f"{title}: {_number(n)} members, {_number(report['edges'])} ties ({kind})", ""]
    stage = report["stage"]
    lines.append(f"Structure stage: {stage['label']}")
    lines += [f"  - {reason}" for reason in stage["reasons"]]
    lines.append("")
    rows = [
        ("Density", report["density"]),
        ("Reciprocity", report.get("reciprocity")) if report["directed"] else None,
        ("Components", report["components"]),
        ("Largest component (members)", report["largest_component"]),
        ("Isolates", report["isolates"]),
        ("Average degree", report["average_degree"]),
        ("Degree centralization", report["degree_centralization"]),
        ("Transitivity", report["transitivity"]),
        ("Average clustering", report["average_clustering"]),
        ("Average path length (largest component)", report["average_path_length"]),
        ("Diameter (largest component)", report["diameter"]),
        ("Degree assortativity", report["degree_assortativity"]),
        ("Communities", report["communities"]["count"]),
        ("Modularity", report["communities"]["modularity"]),
        ("Core members", len(report["core_periphery"]["core"])),
        ("Core/periphery fit (correlation)", report["core_periphery"]["correlation"]),
    ]
    width = max(len(row[0]) for row in rows if row)
    lines.append("Figures")
    for row in rows:
        if row:
            lines.append(f"  {row[0]:<{width}}  {_number(row[1])}")
    estimated = report.get("estimated") or {}
    if estimated:
        lines += ["", "Estimated figures (the network is too large for exact path figures)"]
        for figure, about in estimated.items():
            if figure == "diameter":
                detail = f"between {about['lower_bound']} and {about['upper_bound']}"
            else:
                detail = f"relative standard error {about['relative_error']:.1%}"
            lines.append(f"  {figure}: {about['samples']} pivots of {about['of']:,}; {detail}")
    metrics = report["node_metrics"]

    def listing(title: str, nodes: list[Any], detail: Callable[[Any], str]) -> None:
        if not nodes:
            return
        lines.extend(["", f"{title} ({len(nodes):,})"])
        lines.extend(f"  {name(node)}: {detail(node)}" for node in nodes[:top])
        if len(nodes) > top:
            lines.append(f"  ... and {len(nodes) - top:,} more")

    listing(
        "Hubs",
        report["hubs"],
        lambda node: (
            f"{metrics[node]['degree']} ties, betweenness {metrics[node]['betweenness']:.3f}"
        ),
    )
    listing(
        "Brokers (link communities)",
        [broker["node"] for broker in report["brokers"]],
        lambda node: (
            f"betweenness {metrics[node]['betweenness']:.3f}, community "
            f"{metrics[node]['community']}"
        ),
    )
    listing(
        "Single points of failure",
        [point["node"] for point in report["single_points_of_failure"]],
        lambda node: f"would cut off {metrics[node]['cuts_off']:,} member(s)",
    )
    isolates = [node for node, values in metrics.items() if values["role"] == "isolate"]
    listing("Isolates", isolates, lambda node: "no ties")
    ranked = sorted(metrics, key=lambda node: -metrics[node]["betweenness"])
    listing(
        "Highest betweenness",
        ranked,
        lambda node: f"{metrics[node]['betweenness']:.3f} ({metrics[node]['role']})",
    )
    if report.get("warnings"):
        lines += ["", "Notes"] + [f"  - {warning}" for warning in report["warnings"]]
    return "\n".join(lines) + "\n"
