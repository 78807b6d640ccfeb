"""The analysis library at scale: the full network report of a generated network, against NetworkX.

    python bench/analysis/report.py [--members 100000] [--ties 1000000] [--rounds 3]
                                    [--workers 2] [--networkx-pivots 16] [--small 2000:20000]
                                    [--exact-limit]

1. Generates the network of bench/analysis/network.py (timed apart) and saves it.
2. Ours, ``--rounds`` times, each in a fresh process: build the Graph from the arrays, compute
   ``network_report`` (every figure of issue 3 except layout) with ``--workers`` processes, and
   serialize it to JSON. Wall and CPU time (the process and its workers), time per report step,
   peak memory (ru_maxrss of the process, of its largest worker, and their sum: an upper bound,
   since forked workers share pages).
3. NetworkX computing the same figures in the same run, in a fresh process: graph, density,
   components, isolates, degrees, degree centralization, transitivity, average clustering,
   assortativity, PageRank, core numbers, Louvain communities and their modularity (NetworkX has
   no Leiden), articulation points, and the path figures from the same number of pivots as ours
   (betweenness with ``k`` pivots, closeness / average path length / eccentricities from one BFS
   per pivot). Everything is measured, except that at this size the path figures are timed on
   ``--networkx-pivots`` pivots and scaled to ours (their cost is linear in the pivots; ``all``
   measures them all, which takes a quarter of an hour). NetworkX has no Borgatti-Everett fit and
   no cut-off counts: ours does that work on top.
4. The same comparison, everything measured and exact on both sides, on a network that NetworkX
   finishes quickly (``--small MEMBERS:TIES``, default 2,000:20,000).
5. With ``--exact-limit``: the report's time on a network at the exact budget's limit (5,000
   members, 55,000 ties), where every path figure is still exact.

Results: bench/results/analysis.json. Targets: under 15 s and 4 GiB on 2 cores; at least 20 times
faster than NetworkX.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(ROOT))

import common  # noqa: E402
from network import generate  # noqa: E402

TARGET_SECONDS = 15.0
TARGET_BYTES = 4 * 2**30
TARGET_SPEEDUP = 20.0


def cpu_seconds() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "self": own.ru_utime + own.ru_stime,
        "children": children.ru_utime + children.ru_stime,
    }


def peak_memory() -> dict[str, int]:
    """Peak resident memory in bytes (Linux reports ru_maxrss in kilobytes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"process": own, "largest_worker": children, "upper_bound": own + children}


# --- children ----------------------------------------------------------------------------------


def run_ours(data: Path, workers: int) -> dict[str, Any]:
    from netweave.analysis import Graph, network_report

    arrays = np.load(data)
    start_cpu = cpu_seconds()
    start = time.perf_counter()
    graph = Graph.from_arrays(int(arrays["members"]), arrays["sources"], arrays["targets"])
    built = time.perf_counter()
    steps: list[tuple[str, float]] = []
    last = [built]

    def progress(step: str) -> None:
        now = time.perf_counter()
        if steps:
            steps[-1] = (steps[-1][0], now - last[0])
        steps.append((step, 0.0))
        last[0] = now

    report = network_report(graph, workers=workers, progress=progress)
    reported = time.perf_counter()
    steps[-1] = (steps[-1][0], reported - last[0])
    text = json.dumps(report, allow_nan=False)
    serialized = time.perf_counter()
    end_cpu = cpu_seconds()
    return {
        "build_s": built - start,
        "report_s": reported - built,
        "json_s": serialized - reported,
        "total_s": serialized - start,
        "graph_and_report_s": reported - start,
        "cpu_s": (end_cpu["self"] - start_cpu["self"])
        + (end_cpu["children"] - start_cpu["children"]),
        "steps_s": dict(steps),
        "memory": peak_memory(),
        "json_bytes": len(text),
        "exact": report["exact"],
        "estimated": report["estimated"],
        "figures": {
            key: report[key]
            for key in (
                "nodes",
                "edges",
                "density",
                "components",
                "largest_component",
                "transitivity",
                "average_clustering",
                "average_path_length",
                "diameter",
                "degree_assortativity",
            )
        }
        | {
            "communities": report["communities"]["count"],
            "modularity": report["communities"]["modularity"],
            "core_size": len(report["core_periphery"]["core"]),
            "core_correlation": report["core_periphery"]["correlation"],
            "stage": report["stage"]["name"],
            "single_points_of_failure": len(report["single_points_of_failure"]),
        },
    }


def run_networkx(data: Path, pivots: int, measured_pivots: int | None) -> dict[str, Any]:
    import random

    import networkx as nx

    arrays = np.load(data)
    members = int(arrays["members"])
    timings: dict[str, float] = {}

    def timed(name: str, work: Any) -> Any:
        start = time.process_time()
        result = work()
        timings[name] = time.process_time() - start
        return result

    graph = timed(
        "graph",
        lambda: nx.Graph(
            list(zip(arrays["sources"].tolist(), arrays["targets"].tolist(), strict=True))
        ),
    )
    graph.add_nodes_from(range(members))
    timed("density", lambda: nx.density(graph))
    timed("components", lambda: [len(c) for c in nx.connected_components(graph)])
    timed("isolates", lambda: nx.number_of_isolates(graph))

    def centralization() -> float:
        degrees = [d for _, d in graph.degree()]
        top = max(degrees)
        return sum(top - d for d in degrees) / ((members - 1) * (members - 2))

    timed("degree_centralization", centralization)
    timed("transitivity", lambda: nx.transitivity(graph))
    timed("average_clustering", lambda: nx.average_clustering(graph))
    timed("assortativity", lambda: nx.degree_assortativity_coefficient(graph))
    timed("pagerank", lambda: nx.pagerank(graph, alpha=0.85, weight=None))
    timed("core_number", lambda: nx.core_number(graph))
    found = timed("communities_louvain", lambda: nx.community.louvain_communities(graph, seed=1))
    timed("modularity", lambda: nx.community.modularity(graph, found))
    timed("articulation_points", lambda: list(nx.articulation_points(graph)))

    exact_paths = pivots >= members
    run_pivots = pivots if measured_pivots is None or exact_paths else min(measured_pivots, pivots)
    sources = random.Random(1).sample(range(members), run_pivots)
    if exact_paths:
        timed("betweenness", lambda: nx.betweenness_centrality(graph))
        timed("closeness", lambda: nx.closeness_centrality(graph))
        largest = graph.subgraph(max(nx.connected_components(graph), key=len))
        timed("average_path_length", lambda: nx.average_shortest_path_length(largest))
        timed("diameter", lambda: nx.diameter(largest))
    else:
        timed(
            "betweenness",
            lambda: nx.betweenness_centrality(graph, k=run_pivots, seed=1),
        )

        def distances() -> None:
            for source in sources:  # closeness, path length and eccentricity from each pivot
                nx.single_source_shortest_path_length(graph, source)

        timed("closeness_and_distances", distances)
    scale = pivots / run_pivots
    path_parts = {"betweenness", "closeness_and_distances"}
    measured = sum(value for key, value in timings.items())
    estimated_total = sum(
        value * (scale if key in path_parts and not exact_paths else 1.0)
        for key, value in timings.items()
    )
    return {
        "cpu_s_by_figure": timings,
        "pivots": pivots,
        "pivots_measured": run_pivots,
        "measured_cpu_s": measured,
        "total_cpu_s": estimated_total,
        "total_is_extrapolated": run_pivots < pivots and not exact_paths,
        "non_path_cpu_s": sum(
            value
            for key, value in timings.items()
            if key not in path_parts | {"closeness", "average_path_length", "diameter"}
        ),
        "memory": peak_memory(),
    }


# --- the driver --------------------------------------------------------------------------------


def child(kind: str, *arguments: str, timeout: float = 3 * 3600) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{kind} child failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def save_network(folder: Path, name: str, members: int, ties: int, seed: int) -> tuple[Path, float]:
    start = time.perf_counter()
    sources, targets = generate(members, ties, seed=seed)
    seconds = time.perf_counter() - start
    path = folder / f"{name}.npz"
    np.savez(path, sources=sources, targets=targets, members=np.int64(members))
    return path, seconds


def pivots_of(result: dict[str, Any], members: int) -> int:
    """How many pivots our report searched from (every member when exact), as it says itself."""
    if result["exact"]:
        return members
    return int(next(iter(result["estimated"].values()))["samples"])


def compare(
    folder: Path, name: str, members: int, ties: int, args: argparse.Namespace, rounds: int
) -> dict[str, Any]:
    data, generated = save_network(folder, name, members, ties, args.seed)
    print(f"[{name}] {members:,} members, {ties:,} ties (generated in {generated:.1f} s)")
    ours = []
    for round_number in range(rounds):
        result = child("ours", str(data), str(args.workers))
        ours.append(result)
        print(
            f"[{name}] ours, round {round_number + 1}: report {result['report_s']:.2f} s "
            f"(graph {result['build_s']:.2f} s, JSON {result['json_s']:.2f} s), "
            f"cpu {result['cpu_s']:.1f} s, peak {result['memory']['upper_bound'] / 2**20:.0f} MiB"
        )
    pivots = pivots_of(ours[0], members)
    measured = None if args.networkx_pivots == "all" else int(args.networkx_pivots)
    print(f"[{name}] NetworkX, {pivots:,} pivots ({'all' if measured is None else measured} timed)")
    theirs = child("networkx", str(data), str(pivots), str(measured or 0))
    median = statistics.median(result["graph_and_report_s"] for result in ours)
    median_cpu = statistics.median(result["cpu_s"] for result in ours)
    summary = {
        "members": members,
        "ties": ties,
        "generate_s": generated,
        "ours": ours,
        "ours_median_report_s": statistics.median(result["report_s"] for result in ours),
        "ours_median_graph_and_report_s": median,
        "ours_max_graph_and_report_s": max(result["graph_and_report_s"] for result in ours),
        "ours_median_cpu_s": median_cpu,
        "ours_peak_bytes": max(result["memory"]["upper_bound"] for result in ours),
        "networkx": theirs,
        # NetworkX runs in one process; its CPU time is its wall time.
        "speedup_wall": theirs["total_cpu_s"] / median,
        "speedup_cpu": theirs["total_cpu_s"] / median_cpu,
        "speedup_without_networkx_paths_wall": theirs["non_path_cpu_s"] / median,
    }
    scaled = (
        " (path figures scaled from measured pivots)" if theirs["total_is_extrapolated"] else ""
    )
    print(
        f"[{name}] NetworkX {theirs['total_cpu_s']:.1f} s{scaled}"
        f"; ours {median:.2f} s: {summary['speedup_wall']:.0f}x faster "
        f"({summary['speedup_cpu']:.0f}x in CPU time; "
        f"{summary['speedup_without_networkx_paths_wall']:.1f}x against NetworkX's figures without "
        "shortest paths alone)"
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Full network report at scale, against NetworkX")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--networkx-pivots", default="16", help="a number, or all")
    parser.add_argument("--small", default="2000:20000", help="MEMBERS:TIES, or none")
    parser.add_argument("--exact-limit", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "ours":
            result = run_ours(Path(rest[0]), int(rest[1]))
        else:
            result = run_networkx(Path(rest[0]), int(rest[1]), int(rest[2]) or None)
        print(json.dumps(result, default=float))
        return 0

    results: dict[str, Any] = {"machine": common.machine(), "load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="netweave-bench-analysis-") as folder:
        results["large"] = compare(
            Path(folder), "large", args.members, args.ties, args, args.rounds
        )
        if args.small != "none":
            members, ties = (int(part) for part in args.small.split(":"))
            results["small"] = compare(Path(folder), "small", members, ties, args, 1)
        if args.exact_limit:
            data, _ = save_network(Path(folder), "exact-limit", 5_000, 55_000, args.seed)
            result = child("ours", str(data), str(args.workers))
            results["exact_limit"] = result
            print(
                f"[exact limit] 5,000 members, 55,000 ties, exact={result['exact']}: report "
                f"{result['report_s']:.2f} s, cpu {result['cpu_s']:.1f} s"
            )
    results["load_average_after"] = os.getloadavg()
    large = results["large"]
    results["targets"] = {
        "seconds": TARGET_SECONDS,
        "bytes": TARGET_BYTES,
        "speedup": TARGET_SPEEDUP,
        "met": large["ours_max_graph_and_report_s"] < TARGET_SECONDS
        and large["ours_peak_bytes"] < TARGET_BYTES
        and large["speedup_wall"] >= TARGET_SPEEDUP,
    }
    path = common.write_result("analysis", results)
    print(f"results: {path.relative_to(ROOT)}; targets met: {results['targets']['met']}")
    return 0 if results["targets"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
