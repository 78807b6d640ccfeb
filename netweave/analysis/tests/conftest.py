"""Where the real data lives, and NetworkX's own reading of it (the independent cross-check).

The data is read from ``../shared/data`` next to the project (or NETWEAVE_SHARED_DATA). Every
figure the library computes is compared against NetworkX computing it from NetworkX's own parse of
the same file, and against the figures published in the data's README files.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import networkx as nx

from netweave.lib.required_parts import missing_part

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(os.environ.get("NETWEAVE_SHARED_DATA", ROOT.parent / "shared" / "data"))
NETWORKS = DATA / "networks"
FORMATS = DATA / "formats"
PANEL = NETWORKS / "panels" / "s50_teenage_friends"


def shared(*parts: str) -> Path:
    """A path in the shared data; a test that needs a missing file fails."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        missing_part(f"shared data missing: {path} (the project expects ../shared beside it)")
    return path


def real_graphml() -> list[Path]:
    """Every real network stored as GraphML (the two-mode Davis data read as one network)."""
    paths = sorted(NETWORKS.glob("**/*.graphml"))
    paths.append(FORMATS / "graphml" / "igraphdata_lesmis" / "lesmis.graphml")
    return paths


def nx_from_graphml(path: Path) -> nx.Graph:
    """NetworkX's reading, made simple (no multi-edges, no self-loops) like ours."""
    graph = nx.read_graphml(path)
    simple = nx.DiGraph(graph) if graph.is_directed() else nx.Graph(graph)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    return simple


def panel_wave(wave: int) -> nx.DiGraph:
    """An s50 wave from RSiena's own adjacency matrix (s50-network<wave>.dat), actors 1..50."""
    graph = nx.DiGraph()
    graph.add_nodes_from(str(actor) for actor in range(1, 51))
    with open(PANEL / f"s50-network{wave}.dat") as handle:
        for row_number, line in enumerate(handle, start=1):
            for column_number, cell in enumerate(line.split(), start=1):
                if cell == "1":
                    graph.add_edge(str(row_number), str(column_number))
    return graph


def panel_edges(wave: int) -> list[tuple[str, str]]:
    with open(PANEL / f"s50-wave{wave}_edges.csv", newline="") as handle:
        return [(row["source"], row["target"]) for row in csv.DictReader(handle)]


def graph_id(path: Path) -> str:
    return path.stem
