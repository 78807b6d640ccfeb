"""Weaving in the platform: recomputing a network's stored suggestions, and the pages that read
them, for a network of 10,000 members.

    python bench/weaving/web.py [--members 10000] [--rounds 20] [--engines sqlite,postgres]

For each database engine: build a network of --members members with profiles (expertise,
offers, seeks from a pool of topics) and ~4 ties each (preferential attachment), then time
`recommendations_compute` twice — the first run creates every suggestion, the second updates them
(what the weekly refresh does) — and request a member's "people to meet" and the coordinator's
weaving board --rounds times after a warm-up. Results: bench/results/weaving-platform-<engine>.json.
No target in the issue; the figures go to docs/performance.md."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common

TOPICS = [
    "HIV prevention",
    "long-acting injectables",
    "malaria vaccines",
    "tuberculosis diagnostics",
    "community health workers",
    "implementation science",
    "health economics",
    "digital health",
    "maternal health",
    "vaccine delivery",
    "antimicrobial resistance",
    "clinical trials",
    "health policy",
    "adolescent health",
    "mental health",
    "nutrition",
]


def child(engine: str, database_url: str, data_dir: str, members: int, rounds: int) -> dict:
    common.setup_django(database_url, data_dir)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from netweave.lib.testing import make_member
    from netweave.people.models import Person, Role
    from netweave.ties.models import Tie
    from netweave.ties.tests.test_map_payload import large_network
    from netweave.weaving.models import Recommendation, RecommendationRun
    from netweave.weaving.services import recommendations_compute

    started = time.perf_counter()
    network, people, edges = large_network(size=members)
    rng = random.Random(3)
    for person in people:
        mine = rng.sample(TOPICS, 3)
        person.expertise = mine[:2]
        person.offers = f"training on {mine[0]}; data on {mine[1]}"
        person.seeks = f"partners for {rng.choice(TOPICS)}"
    Person.objects.bulk_update(people, ["expertise", "offers", "seeks"], batch_size=2000)
    Tie.objects.bulk_create(
        [Tie(network=network, source_id=s, target_id=t, kind="knows") for s, t in edges],
        batch_size=5000,
    )
    prepare_seconds = time.perf_counter() - started
    common.analyze()

    begin = time.perf_counter()
    considered, made = recommendations_compute(network=network)
    first_seconds = time.perf_counter() - begin
    begin = time.perf_counter()
    recommendations_compute(network=network)
    second_seconds = time.perf_counter() - begin
    RecommendationRun.objects.create(
        network=network, status=RecommendationRun.Status.DONE, finished_at=timezone.now()
    )
    common.analyze()

    viewer = Person.objects.get(pk=people[1].pk)
    user = get_user_model().objects.create_user(email="bench-member@bench.example.org")
    viewer.user = user
    viewer.save(update_fields=["user"])
    coordinator = make_member(
        network, Role.COORDINATOR, name="Bench Coordinator", email="bench-coord@bench.example.org"
    )
    assert coordinator.user is not None
    setup_test_environment(debug=False)
    pages = {}
    for name, login, url in [
        ("meet", user, reverse("weaving:meet", args=[network.slug])),
        ("board", coordinator.user, reverse("weaving:board", args=[network.slug])),
        (
            "board_goal",
            coordinator.user,
            reverse("weaving:board", args=[network.slug]) + "?goal=bridge",
        ),
    ]:
        client = Client()
        client.force_login(login)
        client.get(url)
        seconds = []
        for _ in range(rounds):
            begin = time.perf_counter()
            response = client.get(url)
            seconds.append(time.perf_counter() - begin)
            assert response.status_code == 200, (name, response.status_code)
        pages[name] = common.summary_ms(seconds)
    return {
        "benchmark": "weaving-platform",
        "engine": engine,
        "members": considered,
        "ties": len(edges),
        "recommendations": made,
        "stored": Recommendation.objects.filter(network=network).count(),
        "prepare_seconds": round(prepare_seconds, 1),
        "compute_first_seconds": round(first_seconds, 2),
        "compute_again_seconds": round(second_seconds, 2),
        "pages": pages,
        "meets_target": True,  # the issue sets no target for these; the figures are reported
        "machine": common.machine(),
    }


def print_report(result: dict) -> None:
    print(
        f"\n== {result['engine']}: {result['members']:,} members, {result['ties']:,} ties, "
        f"{result['recommendations']:,} suggestions (prepared in {result['prepare_seconds']} s)\n"
        f"recommendations_compute: {result['compute_first_seconds']} s (first), "
        f"{result['compute_again_seconds']} s (again)"
    )
    for name, r in result["pages"].items():
        print(f"{name}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms over {r['n']} requests")


def main() -> int:
    return common.bench_main(
        script=Path(__file__),
        name="weaving-platform",
        description=__doc__.split("\n\n")[0],
        options=[("members", 10000), ("rounds", 20)],
        child=child,
        print_report=print_report,
    )


if __name__ == "__main__":
    sys.exit(main())
