"""Map data at scale: server time of /n/<slug>/map/data.json for a snapshot of 5,000 members.

    python bench/map.py [--members 5000] [--rounds 20] [--engines sqlite,postgres]

For each database engine (a SQLite file; PostgreSQL from BENCH_PG_URL or a throwaway cluster):
build a network of --members members (a tenth named on the map, ~4 ties each, grown by
preferential attachment) and a computed snapshot with its report and cached layout, sign in as a
member (names by consent: the costlier case) with Django's test client, and request the map data
--rounds times after one warm-up, compressed as a browser asks for it. Reports p50 / p95 / max
milliseconds, the payload size (raw and gzip), and the SQL queries per request.
Results: bench/results/map-<engine>.json. Target: p95 < 1000 ms."""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TARGET_P95_MS = 1000.0


def child(engine: str, database_url: str, data_dir: str, members: int, rounds: int) -> dict:
    common.setup_django(database_url, data_dir)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from netweave.lib.testing import make_member
    from netweave.ties.tests.test_map_payload import large_network, take_snapshot

    started = time.perf_counter()
    network, people, edges = large_network(size=members)
    snapshot = take_snapshot(network, people, edges, label="Bench")
    prepare_seconds = time.perf_counter() - started
    common.analyze()
    viewer = make_member(network, name="Bench Viewer", email="bench-viewer@bench.example.org")
    setup_test_environment(debug=False)
    client = Client()
    client.force_login(viewer.user)
    url = reverse("maps:map_data", args=[network.slug]) + f"?snapshot={snapshot.pk}"
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")  # warm-up
    seconds = []
    for _ in range(rounds):
        begin = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        seconds.append(time.perf_counter() - begin)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    raw = gzip.decompress(response.content)
    payload: dict[str, Any] = json.loads(raw)
    summary = common.summary_ms(seconds)
    return {
        "benchmark": "map",
        "engine": engine,
        "members": len(payload["nodes"]),
        "ties": len(payload["edges"]),
        "named": sum(1 for node in payload["nodes"] if node["named"]),
        "rounds": rounds,
        "prepare_seconds": round(prepare_seconds, 1),
        "bytes_raw": len(raw),
        "bytes_gzip": len(response.content),
        "queries": len(queries.captured_queries),
        "request": summary,
        "meets_target": summary["p95_ms"] < TARGET_P95_MS,
        "machine": common.machine(),
    }


def print_report(result: dict) -> None:
    r = result["request"]
    print(
        f"\n== {result['engine']}: {result['members']:,} members, {result['ties']:,} ties "
        f"({result['named']:,} named), prepared in {result['prepare_seconds']} s\n"
        f"map data: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms over "
        f"{r['n']} requests; {result['bytes_raw'] / 1024:.0f} KiB of JSON, "
        f"{result['bytes_gzip'] / 1024:.0f} KiB gzipped; {result['queries']} queries; "
        f"target p95 < {TARGET_P95_MS:.0f} ms: {'met' if result['meets_target'] else 'MISSED'}"
    )


def main() -> int:
    return common.bench_main(
        script=Path(__file__),
        name="map",
        description=__doc__.split("\n\n")[0],
        options=[("members", 5000), ("rounds", 20)],
        child=child,
        print_report=print_report,
    )


if __name__ == "__main__":
    sys.exit(main())
