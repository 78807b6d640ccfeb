"""Members' roles: isolate, hub, core, bridge, periphery."""

from __future__ import annotations

import itertools

import numpy as np

from netweave.analysis import Graph, network_report, roles
from netweave.analysis.roles import HUB_FACTOR, HUB_MIN_DEGREE, HUB_SIGMAS, hub_threshold
from netweave.analysis.tests.archetypes import core_periphery, multi_hub


class RoleTests:
    def test_a_star_has_one_hub_and_spokes_on_the_periphery(self):
        star = Graph.from_edges([("hub", f"s{i}") for i in range(10)], nodes=["loner"])
        found = roles(star)
        assert found["hub"] == "hub"
        assert found["loner"] == "isolate"
        assert {found[f"s{i}"] for i in range(10)} == {"periphery"}

    def test_the_hub_bar_follows_its_three_rules(self):
        degrees = np.array([12, 3, 3, 2, 2, 2, 1, 1, 1, 1, 0])
        tied = degrees[degrees > 0].astype(float)
        expected = max(
            HUB_MIN_DEGREE, HUB_FACTOR * tied.mean(), tied.mean() + HUB_SIGMAS * tied.std()
        )
        assert hub_threshold(degrees) == expected

    def test_an_even_network_has_no_hub(self):
        ring = Graph.from_edges(
            [(i, (i + 1) % 30) for i in range(30)] + [(i, (i + 2) % 30) for i in range(30)]
        )
        assert "hub" not in roles(ring).values()

    def test_a_planted_core_is_core(self):
        graph = core_periphery(seed=4)
        found = roles(graph)
        report = network_report(graph)
        core = set(report["core_periphery"]["core"])
        assert core and all(found[member] in ("core", "hub") for member in core)
        assert all(found[member] != "core" for member in graph.nodes if member not in core)

    def test_a_member_tying_two_groups_is_a_bridge(self):
        left = list(itertools.combinations("abcde", 2))
        right = list(itertools.combinations("vwxyz", 2))
        graph = Graph.from_edges(left + right + [("a", "link"), ("link", "v")])
        assert roles(graph)["link"] == "bridge"

    def test_the_hubs_of_a_multi_hub_network_are_its_hubs(self):
        graph = multi_hub(seed=2)
        found = roles(graph)
        assert {member for member, role in found.items() if role == "hub"} == {
            member
            for member in graph.nodes
            if str(member).startswith("hub") and "s" not in str(member)
        }
