"""Does weaving work? Recommend from each s50 wave and count the ties new at the next wave.

Prints the table of docs/analysis.md ("Recommendations"): precision and recall at k = 1, 3, 5 of
the recommender, the shared-neighbours baseline and random picks (expected value).

    .venv/bin/python bench/weaving/panel.py [DATA_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from netweave.analysis import Graph, evaluate_recommendations  # noqa: E402

PANEL = ROOT.parent / "shared" / "data" / "networks" / "panels" / "s50_teenage_friends"


def wave(folder: Path, number: int) -> Graph:
    """A wave from RSiena's adjacency matrix, all 50 pupils (isolates too)."""
    edges = []
    lines = (folder / f"s50-network{number}.dat").read_text().splitlines()
    for row, line in enumerate(lines, start=1):
        for column, cell in enumerate(line.split(), start=1):
            if cell == "1":
                edges.append((str(row), str(column)))
    return Graph.from_edges(edges, nodes=[str(i) for i in range(1, 51)], directed=True)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else PANEL
    print("| waves | method | P@1 | R@1 | P@3 | R@3 | P@5 | R@5 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for first in (1, 2):
        figures = evaluate_recommendations(wave(folder, first), wave(folder, first + 1))
        new = int(figures["random"][1]["new_ties"])
        for method in ("recommender", "shared_neighbours", "random"):
            cells = []
            for k in (1, 3, 5):
                cells += [
                    f"{figures[method][k]['precision']:.3f}",
                    f"{figures[method][k]['recall']:.3f}",
                ]
            label = f"{first} → {first + 1} ({new} new ties)"
            print(f"| {label} | {method.replace('_', ' ')} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
