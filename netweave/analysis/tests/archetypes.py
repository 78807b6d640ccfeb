"""Synthetic networks, one per structure stage, generated from a seed (Krebs and Holley's four
stages of a growing network). Each generator builds the shape the stage describes, with random
sizes and random ties inside it, so a test can run the classification on many of them."""

from __future__ import annotations

import numpy as np

from netweave.analysis import Graph


def _cluster(rng: np.random.Generator, members: list[str], density: float) -> list[tuple[str, str]]:
    """A connected group: a ring through its members plus random extra ties."""
    ties = [(members[i], members[(i + 1) % len(members)]) for i in range(len(members))]
    for i, a in enumerate(members):
        for b in members[i + 2 :]:
            if rng.random() < density:
                ties.append((a, b))
    return ties


def fragments(seed: int) -> Graph:
    """Scattered fragments: several small groups with no tie between them, and a few loners."""
    rng = np.random.default_rng(seed)
    ties: list[tuple[str, str]] = []
    for group in range(int(rng.integers(5, 9))):
        members = [f"g{group}m{i}" for i in range(int(rng.integers(4, 9)))]
        ties += _cluster(rng, members, 0.5)
    loners = [f"loner{i}" for i in range(int(rng.integers(0, 4)))]
    return Graph.from_edges(ties, nodes=loners)


def hub_and_spoke(seed: int) -> Graph:
    """One weaver tied into every group (and to a few people of their own); the groups have no
    other tie between them."""
    rng = np.random.default_rng(seed)
    ties: list[tuple[str, str]] = []
    for group in range(int(rng.integers(5, 8))):
        members = [f"g{group}m{i}" for i in range(int(rng.integers(4, 7)))]
        ties += _cluster(rng, members, 0.4)
        for member in rng.choice(members, size=int(rng.integers(1, 3)), replace=False):
            ties.append(("weaver", str(member)))
    ties += [("weaver", f"spoke{i}") for i in range(int(rng.integers(3, 7)))]
    return Graph.from_edges(ties)


def multi_hub(seed: int) -> Graph:
    """Four to six hubs, each with its own spokes, the hubs tied to each other in a ring; a few
    spokes know a second hub and a few spokes know each other."""
    rng = np.random.default_rng(seed)
    hubs = [f"hub{i}" for i in range(int(rng.integers(4, 7)))]
    ties = [(hubs[i], hubs[(i + 1) % len(hubs)]) for i in range(len(hubs))]
    for hub in hubs:
        spokes = [f"{hub}s{i}" for i in range(int(rng.integers(8, 13)))]
        ties += [(hub, spoke) for spoke in spokes]
        for i, a in enumerate(spokes):
            for b in spokes[i + 1 :]:
                if rng.random() < 0.1:
                    ties.append((a, b))
        for spoke in rng.choice(spokes, size=2, replace=False):
            other = hubs[int(rng.integers(len(hubs)))]
            if other != hub:
                ties.append((str(spoke), other))
    return Graph.from_edges(ties)


def core_periphery(seed: int) -> Graph:
    """A dense core of weavers, and a periphery whose members each know one to three of them and
    hardly anyone else in the periphery."""
    rng = np.random.default_rng(seed)
    core = [f"core{i}" for i in range(int(rng.integers(10, 15)))]
    ties = [(a, b) for i, a in enumerate(core) for b in core[i + 1 :] if rng.random() < 0.8]
    periphery = [f"p{i}" for i in range(int(rng.integers(30, 51)))]
    for member in periphery:
        for partner in rng.choice(core, size=int(rng.integers(1, 4)), replace=False):
            ties.append((member, str(partner)))
    for i, a in enumerate(periphery):
        for b in periphery[i + 1 :]:
            if rng.random() < 0.01:
                ties.append((a, b))
    return Graph.from_edges(ties)


ARCHETYPES = {
    "fragments": fragments,
    "hub-and-spoke": hub_and_spoke,
    "multi-hub": multi_hub,
    "core-periphery": core_periphery,
}
