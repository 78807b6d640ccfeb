"""Each member's role in the structure: isolate, hub, core, bridge or periphery.

One role per member, the first rule that applies (docs/analysis.md explains the choices):

1. **isolate** -- no tie at all.
2. **hub** -- far more partners than the others: at least :data:`HUB_MIN_DEGREE` partners, at
   least :data:`HUB_FACTOR` times the mean number of partners of the members who have ties, and
   at least :data:`HUB_SIGMAS` standard deviations above that mean. Because the bar rises with
   the spread of degrees, a network where many members are well connected (a core) has few hubs,
   an even one (everyone with about as many partners) has none, and a star has exactly one.
3. **core** -- in the Borgatti-Everett core (:mod:`netweave.analysis.coreperiphery`), when that core
   is a real group: at least :data:`CORE_MIN_SIZE` members with at least :data:`CORE_MIN_DENSITY`
   of their possible ties among themselves.
4. **bridge** -- links communities: at least one tie to another community, and at least
   :data:`BRIDGE_MIN_SHARE` of its ties outside its own.
5. **periphery** -- everyone else.

Partners are counted on the undirected skeleton: in a directed network, members linked either way.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from netweave.analysis.graph import Graph

__all__ = [
    "BRIDGE_MIN_SHARE",
    "CORE_MIN_DENSITY",
    "CORE_MIN_SIZE",
    "HUB_FACTOR",
    "HUB_MIN_DEGREE",
    "HUB_SIGMAS",
    "ROLES",
    "core_is_group",
    "hub_array",
    "hub_threshold",
    "role_array",
    "roles",
]

ROLES = ("isolate", "hub", "core", "bridge", "periphery")
HUB_MIN_DEGREE = 4
HUB_SIGMAS = 2.0
HUB_FACTOR = 2.0
CORE_MIN_SIZE = 3
CORE_MIN_DENSITY = 0.5
BRIDGE_MIN_SHARE = 1 / 3


def hub_threshold(degree: np.ndarray) -> float:
    """The number of partners from which a member is a hub (see the module's rules).

    Examples
    --------
    >>> import numpy as np
    >>> from netweave.analysis.roles import hub_threshold
    >>> round(hub_threshold(np.array([8, 1, 1, 1, 1, 1, 1, 1, 1])), 2)  # mean + 2 sd here
    6.18
    """
    tied = degree[degree > 0].astype(np.float64)
    if tied.size == 0:
        return float("inf")
    mean = tied.mean()
    return float(max(HUB_MIN_DEGREE, HUB_FACTOR * mean, mean + HUB_SIGMAS * tied.std()))


def hub_array(graph: Graph) -> np.ndarray:
    """Whether each node position is a hub."""
    degree = graph.skeleton_degree_array()
    return degree >= hub_threshold(degree)


def core_is_group(core_size: int, core_density: float | None) -> bool:
    """Whether a fitted core is a real group rather than a pair around a hub.

    Examples
    --------
    >>> from netweave.analysis.roles import core_is_group
    >>> core_is_group(2, 1.0), core_is_group(5, 0.8), core_is_group(5, 0.3)
    (False, True, False)
    """
    return core_size >= CORE_MIN_SIZE and (core_density or 0.0) >= CORE_MIN_DENSITY


def role_array(
    graph: Graph,
    *,
    in_core: np.ndarray,
    core_density: float | None,
    communities: np.ndarray,
) -> list[str]:
    """Role of each node position (see the module's rules).

    Parameters
    ----------
    graph : Graph
    in_core : array of bool
        Borgatti-Everett core membership.
    core_density : float or None
        Density of that core.
    communities : array of int
        Community of each node position (-1 for none).
    """
    degree = graph.skeleton_degree_array()
    n = degree.size
    lo, hi = graph.skeleton_arrays()
    outside = np.zeros(n, dtype=np.int64)
    if lo.size:
        crossing = communities[lo] != communities[hi]
        outside = np.bincount(lo[crossing], minlength=n) + np.bincount(hi[crossing], minlength=n)
    real_core = core_is_group(int(in_core.sum()), core_density)
    labels = np.full(n, 4, dtype=np.int64)  # periphery
    with np.errstate(divide="ignore", invalid="ignore"):
        bridge = (outside > 0) & (outside >= BRIDGE_MIN_SHARE * degree)
    labels[bridge] = 3
    if real_core:
        labels[in_core] = 2
    labels[degree >= hub_threshold(degree)] = 1
    labels[degree == 0] = 0
    return [ROLES[label] for label in labels.tolist()]


def roles(graph: Graph, *, seed: int = 0) -> dict[Hashable, str]:
    """Role of every member: isolate, hub, core, bridge or periphery.

    Computes the communities (seeded) and the core/periphery fit it needs.

    Examples
    --------
    >>> from netweave.analysis import Graph, roles
    >>> star = Graph.from_edges([("hub", leaf) for leaf in "abcde"], nodes=["loner"])
    >>> found = roles(star)
    >>> found["loner"], found["hub"], found["a"]
    ('isolate', 'hub', 'periphery')
    """
    from netweave.analysis.communities import community_array
    from netweave.analysis.coreperiphery import block_densities, core_periphery_array

    in_core, _ = core_periphery_array(graph)
    communities, _ = community_array(graph, seed=seed)
    density = block_densities(graph, in_core)["core_density"]
    labels: list[Any] = role_array(
        graph, in_core=in_core, core_density=density, communities=communities
    )
    return dict(zip(graph.nodes, labels, strict=True))
