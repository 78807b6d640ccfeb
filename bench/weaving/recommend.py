"""Weaving benchmark: top-10 introductions for every member of a generated network.

100,000 members and 1,000,000 ties (members in groups of about 100, most ties inside the group,
the rest across the network), each with a profile: expertise, interests, a bio, organization,
country, what they can offer and what they are looking for. Times :func:`recommend` for everyone
and reports the peak memory of the process (``resource.getrusage``); writes
``bench/results/weaving.json``.

    .venv/bin/python bench/weaving/recommend.py [--members N] [--ties M] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Hashable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import common  # noqa: E402

from netweave.analysis import Graph, recommend  # noqa: E402

WORDS = [
    "hiv",
    "malaria",
    "tuberculosis",
    "vaccine",
    "prevention",
    "trial",
    "design",
    "nutrition",
    "maternal",
    "child",
    "health",
    "surveillance",
    "genomics",
    "modelling",
    "policy",
    "community",
    "outreach",
    "adolescent",
    "mental",
    "care",
    "data",
    "statistics",
    "laboratory",
    "diagnostics",
    "antimicrobial",
    "resistance",
    "implementation",
    "science",
    "finance",
    "supply",
    "chain",
    "digital",
    "training",
    "ethics",
    "climate",
    "water",
    "sanitation",
    "urban",
    "rural",
    "primary",
    "long-acting",
]


def generate(members: int, ties: int, seed: int) -> tuple[Graph, dict[Hashable, dict[str, str]]]:
    rng = np.random.default_rng(seed)
    group_size = 100
    groups = np.arange(members) // group_size
    inside = int(ties * 0.85)
    src = rng.integers(0, members, size=ties + ties // 10)
    dst = np.empty_like(src)
    dst[:inside] = groups[src[:inside]] * group_size + rng.integers(0, group_size, size=inside)
    dst[:inside] = np.minimum(dst[:inside], members - 1)
    dst[inside:] = rng.integers(0, members, size=dst.size - inside)
    ids = [f"m{i}" for i in range(members)]
    graph = Graph.from_arrays(members, src, dst, ids=ids)
    # Keep the wanted number of distinct ties, chosen at random among those drawn.
    if graph.number_of_edges() > ties:
        keep = np.sort(rng.choice(graph.number_of_edges(), size=ties, replace=False))
        graph = Graph.from_arrays(members, graph.sources[keep], graph.targets[keep], ids=ids)
    phrases = [f"{a} {b}" for a in WORDS for b in WORDS if a != b]
    topics = rng.integers(0, len(phrases), size=(members // group_size + 1, 12))
    skills = rng.integers(0, len(phrases), size=(members, 4))
    profiles: dict[Hashable, dict[str, str]] = {}
    for i in range(members):
        own = topics[groups[i]]
        pick = rng.choice(own, size=4, replace=False)
        profiles[ids[i]] = {
            "expertise": "; ".join(phrases[p] for p in pick[:2]),
            "interests": "; ".join(phrases[p] for p in pick[2:]),
            "bio": f"I work on {phrases[pick[0]]} with partners in {phrases[own[0]]}.",
            "organization": f"org{rng.integers(0, 2000)}",
            "country": f"country{rng.integers(0, 50)}",
            "offers": "; ".join(phrases[p] for p in skills[i, :2]),
            "seeks": "; ".join(phrases[p] for p in skills[i, 2:]),
        }
    return graph, profiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    graph, profiles = generate(args.members, args.ties, args.seed)
    generated = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    made = recommend(graph, top=args.top, profiles=profiles, seed=args.seed)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count = sum(len(items) for items in made.values())
    targets: dict[object, int] = {}
    for items in made.values():
        for item in items:
            targets[item.target] = targets.get(item.target, 0) + 1
    result = {
        "members": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "top": args.top,
        "generate_seconds": round(generated, 2),
        "recommend_seconds": round(seconds, 2),
        "recommend_cpu_seconds": round(cpu_seconds, 2),
        "peak_memory_gib": round(peak_kib / 1024**2, 2),
        "members_with_recommendations": len(made),
        "recommendations": count,
        "most_recommended_target": max(targets.values()) if targets else 0,
        "example": [item.to_dict() for item in next(iter(made.values()), [])[:2]],
        "machine": common.machine(),
    }
    print(json.dumps(result, indent=2))
    if not args.no_write:
        common.write_result("weaving", result)


if __name__ == "__main__":
    main()
