"""Networks built from the real data in ../shared/data for the ties tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from netweave.lib.testing import make_member, make_network
from netweave.people.models import Person
from netweave.ties.models import Tie

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "networks"
KARATE_EDGES = DATA / "zachary_karate" / "karate_edges.csv"


def karate_edges() -> list[tuple[int, int]]:
    with KARATE_EDGES.open(newline="") as handle:
        return [(int(row["source"]), int(row["target"])) for row in csv.DictReader(handle)]


def karate_members(network) -> dict[int, Person]:  # type: ignore[no-untyped-def]
    """The 34 members of the karate club as members of `network` (node i → karate{i}@...)."""
    nodes = sorted({node for edge in karate_edges() for node in edge})
    return {
        node: make_member(
            network, name=f"Karateka {node}", email=f"karate{node}@example.org", login=False
        )
        for node in nodes
    }


@pytest.fixture
def karate(db):  # type: ignore[no-untyped-def]
    """(network, {node: person}) with the 78 ties of the karate club as manual ties."""
    network = make_network(name="Karate Club", slug="karate")
    people = karate_members(network)
    Tie.objects.bulk_create(
        Tie(network=network, source=people[s], target=people[t], kind="knows")
        for s, t in karate_edges()
    )
    return network, people
