"""Directory search at scale: server time of /n/<slug>/members/ with 100,000 members.

    python bench/directory.py [--members 100000] [--rounds 30] [--engines sqlite,postgres]

For each database engine (a SQLite file; PostgreSQL from BENCH_PG_URL or a throwaway cluster):
generate a network of --members members (`netweave generate`, timed), sign in as a coordinator
with Django's test client, and request the directory with a mix of queries -- no query, a common
word, a rare word, a name prefix, a country, a language, an organization, page 50 and a combined
search -- interleaved, --rounds times each after one warm-up round. /healthz through the same client
is the baseline (the cost of the request/response cycle, session and middleware).

Reports p50 / p95 / max milliseconds per scenario and overall, the number of SQL queries per page
(it must be the same for every page and query), where the time goes (SQL vs the rest), and the
query plan of the slowest query of each scenario. Results: bench/results/directory-<engine>.json.
Target: p95 < 100 ms on both engines with a constant number of queries."""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SLUG = "bench"
TARGET_P95_MS = 100.0
COORDINATOR_EMAIL = "bench-coordinator@bench.example.org"


def scenarios(network: Any) -> dict[str, dict[str, str]]:
    """The query mix, with values taken from the generated data so that each one finds people."""
    from django.db.models import Count

    from netweave.people.models import Organization, Person

    first = Person.objects.filter(memberships__network=network).order_by("id").first()
    assert first is not None
    biggest = (
        Organization.objects.filter(affiliations__person__memberships__network=network)
        .annotate(n=Count("affiliations"))
        .order_by("-n", "id")
        .first()
    )
    assert biggest is not None
    return {
        "empty": {},
        "common word": {"q": "prevention"},
        "rare word": {"q": "pharmacovigilance"},
        "name prefix": {"q": first.name.split()[0][:4]},
        "country": {"country": "KE"},
        "language": {"language": "fr"},
        "organization": {"organization": str(biggest.pk)},
        "page 50": {"page": "50"},
        "word + country": {"q": "injectables", "country": "SN"},
    }


def explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def prepare(members: int, seed: int) -> tuple[Any, Any, float]:
    """Generate the network (timed) and a coordinator to sign in as."""
    from django.core.management import call_command

    from netweave.accounts.models import User
    from netweave.networks.models import Network
    from netweave.people.models import Role
    from netweave.people.services import membership_add, person_ensure_for_user

    started = time.perf_counter()
    call_command(
        "generate",
        "--members",
        str(members),
        "--seed",
        str(seed),
        "--network",
        SLUG,
        stdout=io.StringIO(),
    )
    generate_seconds = time.perf_counter() - started
    common.analyze()
    network = Network.objects.get(slug=SLUG)
    user = User.objects.create_user(email=COORDINATOR_EMAIL, password="bench-password")  # noqa: S106
    membership_add(network=network, person=person_ensure_for_user(user=user), role=Role.COORDINATOR)
    return network, user, generate_seconds


def measure_directory(network: Any, user: Any, rounds: int, plans: bool = True) -> dict[str, Any]:
    """Request every scenario `rounds` times (interleaved, after a warm-up round)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from netweave.networks.permissions import access_for
    from netweave.people.selectors import DirectoryQuery, members_for_directory

    access = access_for(user, network)
    mix = scenarios(network)
    hits = {}
    for name, params in mix.items():
        query = DirectoryQuery(
            text=params.get("q", ""),
            country=params.get("country", ""),
            language=params.get("language", ""),
            organization=int(params["organization"]) if "organization" in params else None,
        )
        hits[name] = members_for_directory(access=access, query=query).count()

    setup_test_environment(debug=False)
    client = Client()
    client.force_login(user)
    url = f"/n/{network.slug}/members/"
    timings: dict[str, list[float]] = defaultdict(list)
    query_counts: dict[str, set[int]] = defaultdict(set)
    sql_seconds: dict[str, list[float]] = defaultdict(list)
    per_query: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    sample_sql: dict[str, dict[int, str]] = defaultdict(dict)

    def measure(name: str, path: str, params: dict[str, str], record: bool) -> None:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path, params)
            elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params} answered {response.status_code}")
        if not record:
            return
        timings[name].append(elapsed)
        query_counts[name].add(len(captured.captured_queries))
        sql_seconds[name].append(sum(float(q["time"]) for q in captured.captured_queries))
        for index, q in enumerate(captured.captured_queries):
            per_query[name][index].append(float(q["time"]))
            sample_sql[name].setdefault(index, q["sql"])

    for round_number in range(rounds + 1):  # round 0 warms caches and is not recorded
        for name, params in mix.items():
            measure(name, url, params, record=round_number > 0)
        measure("baseline /healthz", "/healthz", {}, record=round_number > 0)

    report: dict[str, Any] = {}
    for name in [*mix, "baseline /healthz"]:
        mean_by_query = {
            index: statistics.mean(times) * 1000 for index, times in per_query[name].items()
        }
        slowest = sorted(mean_by_query, key=lambda index: -mean_by_query[index])[:3]
        report[name] = {
            "params": mix.get(name, {}),
            "hits": hits.get(name),
            **common.summary_ms(timings[name]),
            "queries": sorted(query_counts[name]),
            "sql_mean_ms": round(statistics.mean(sql_seconds[name]) * 1000, 2),
            "per_query": [
                {"index": i, "mean_ms": round(mean_by_query[i], 2), "sql": sample_sql[name][i]}
                for i in sorted(mean_by_query)
            ],
            "slowest_queries": [
                {
                    "index": i,
                    "mean_ms": round(mean_by_query[i], 2),
                    "plan": explain(sample_sql[name][i]) if plans and name in mix else [],
                }
                for i in slowest
            ],
        }

    directory_times = [t for name in mix for t in timings[name]]
    counts = sorted({c for name in mix for c in query_counts[name]})
    overall = common.summary_ms(directory_times)
    baseline = report["baseline /healthz"]
    return {
        "directory": overall,
        "baseline": {k: baseline[k] for k in ("n", "p50_ms", "p95_ms", "max_ms", "mean_ms")},
        "ratio_p50": round(overall["p50_ms"] / max(baseline["p50_ms"], 0.01), 1),
        "queries_per_page": counts,
        "queries_constant": len(counts) == 1,
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": overall["p95_ms"] < TARGET_P95_MS and len(counts) == 1,
        "scenarios": report,
    }


def child(
    engine: str, database_url: str, data_dir: str, members: int, rounds: int, seed: int
) -> dict[str, Any]:
    common.setup_django(database_url, data_dir)
    network, user, generate_seconds = prepare(members, seed)
    measured = measure_directory(network, user, rounds)
    return {
        "benchmark": "directory",
        "engine": engine,
        "server_version": common.server_version(engine),
        "members": members,
        "seed": seed,
        "rounds": rounds,
        "generate_seconds": round(generate_seconds, 1),
        **measured,
        "machine": common.machine(),
    }


def print_report(result: dict) -> None:
    print(
        f"\n== {result['engine']} {result['server_version']}: {result['members']:,} members, "
        f"generated in {result['generate_seconds']} s"
    )
    print(f"{'scenario':<20} {'hits':>7} {'p50':>8} {'p95':>8} {'max':>8} {'sql':>8}  queries")
    for name, s in result["scenarios"].items():
        hits = "" if s["hits"] is None else f"{s['hits']:,}"
        print(
            f"{name:<20} {hits:>7} {s['p50_ms']:>8.1f} {s['p95_ms']:>8.1f} {s['max_ms']:>8.1f} "
            f"{s['sql_mean_ms']:>8.1f}  {s['queries']}"
        )
    d = result["directory"]
    print(
        f"directory overall: p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms, max {d['max_ms']} ms "
        f"over {d['n']} requests; baseline p50 {result['baseline']['p50_ms']} ms "
        f"(ratio {result['ratio_p50']}x); queries per page {result['queries_per_page']} "
        f"({'constant' if result['queries_constant'] else 'NOT constant'}); "
        f"target p95 < {TARGET_P95_MS:.0f} ms: {'met' if result['meets_target'] else 'MISSED'}"
    )


def main() -> int:
    return common.bench_main(
        script=Path(__file__),
        name="directory",
        description=__doc__.split("\n\n")[0],
        options=[("members", 100_000), ("rounds", 30), ("seed", 1)],
        child=child,
        print_report=print_report,
    )


if __name__ == "__main__":
    sys.exit(main())
