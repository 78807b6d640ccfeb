"""Print the latest results in bench/results/ as Markdown tables (for docs/performance.md).

python bench/report.py"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def directory_tables(engines: list[str]) -> list[str]:
    lines = []
    for engine in engines:
        result = load(f"directory-{engine}")
        if result is None:
            continue
        d, b = result["directory"], result["baseline"]
        lines += [
            f"**{engine} {result['server_version']}**, {result['members']:,} members "
            f"(generated in {result['generate_seconds']} s), {d['n']} directory requests: "
            f"p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms, max {d['max_ms']} ms; baseline "
            f"/healthz p50 {b['p50_ms']} ms (directory/baseline {result['ratio_p50']}x); "
            f"SQL queries per page {result['queries_per_page']}.",
            "",
            "| scenario | hits | p50 ms | p95 ms | max ms | SQL ms (mean) | queries |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, s in result["scenarios"].items():
            hits = "" if s["hits"] is None else f"{s['hits']:,}"
            queries = ", ".join(str(q) for q in s["queries"])
            lines.append(
                f"| {name} | {hits} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} | "
                f"{s['sql_mean_ms']} | {queries} |"
            )
        lines.append("")
    return lines


def import_table(engines: list[str]) -> list[str]:
    lines = [
        "| engine | rows | CSV MB | check (dry run) s | import s | same file again s | "
        "generate s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for engine in engines:
        r = load(f"import-{engine}")
        if r is None:
            continue
        lines.append(
            f"| {engine} {r['server_version']} | {r['rows']:,} | {r['csv_megabytes']} | "
            f"{r['check']['seconds']} | {r['import']['seconds']} | "
            f"{r['import_again']['seconds']} | {r['generate_seconds']} |"
        )
    return [*lines, ""]


def main() -> int:
    engines = ["sqlite", "postgres"]
    print("\n".join(["### Directory", "", *directory_tables(engines)]))
    print("\n".join(["### Import", "", *import_table(engines)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
