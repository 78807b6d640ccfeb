"""The generated network the analysis benchmark runs on.

A network like a large learning network: members in communities (regions, themes), most ties
inside a member's community, and a heavy-tailed number of ties per member (a few very connected
members, many with a handful) -- a degree-corrected planted partition (Chung-Lu weights drawn
from a Pareto law of shape 2.5, ``inside`` of the ties within the community). Ties are distinct,
undirected and never from a member to themself; the same seed gives the same network.

    python bench/analysis/network.py --members 100000 --ties 1000000 --out edges.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np


def generate(
    members: int,
    ties: int,
    *,
    seed: int = 1,
    communities: int | None = None,
    inside: float = 0.85,
) -> tuple[np.ndarray, np.ndarray]:
    """Sources and targets (node positions 0 .. members - 1) of ``ties`` distinct ties."""
    if ties > members * (members - 1) // 2:
        raise ValueError("more ties than pairs of members")
    rng = np.random.default_rng(seed)
    communities = communities or max(1, members // 1000)
    weight = rng.pareto(2.5, members) + 1.0
    community = rng.integers(0, communities, members)
    order = np.argsort(community, kind="stable")
    bounds = np.searchsorted(community[order], np.arange(communities + 1))
    cumulative = np.cumsum(weight[order])
    probability = weight / weight.sum()
    keys = np.empty(0, dtype=np.int64)
    while keys.size < ties:
        draw = int((ties - keys.size) * 1.2) + 1000
        sources = rng.choice(members, size=draw, p=probability)
        targets = rng.choice(members, size=draw, p=probability)
        local = rng.random(draw) < inside
        # A local tie goes to a member of the source's community, drawn by weight.
        group = community[sources[local]]
        low = np.where(bounds[group] > 0, cumulative[np.maximum(bounds[group] - 1, 0)], 0.0)
        high = cumulative[bounds[group + 1] - 1]
        targets[local] = order[
            np.searchsorted(cumulative, low + rng.random(group.size) * (high - low))
        ]
        lo, hi = np.minimum(sources, targets), np.maximum(sources, targets)
        keep = lo != hi
        keys = np.unique(np.concatenate([keys, lo[keep] * members + hi[keep]]))
    keys = rng.permutation(keys)[:ties]
    return keys // members, keys % members


def write_csv(path: Path, sources: np.ndarray, targets: np.ndarray) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "target"])
        writer.writerows(zip(sources.tolist(), targets.tolist(), strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="CSV edge list to write")
    args = parser.parse_args(argv)
    sources, targets = generate(args.members, args.ties, seed=args.seed)
    write_csv(args.out, sources, targets)
    print(f"{args.out}: {args.members} members, {sources.size} ties", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
