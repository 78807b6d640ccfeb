"""Sending a newsletter issue to 100,000 subscribers: messages a second and memory.

    python bench/outreach/send.py [--subscribers 100000] [--engines sqlite,postgres]

Target (issue 6): at least 500 personalized messages a second on 2 cores, composition included,
with memory flat as the list grows.

For each engine, on a fresh database: --subscribers confirmed subscribers on one list (made in bulk;
a quarter of them read French), an issue in English and French. `start_sending` makes the Delivery
rows; `send_pending` — the loop the task and `netweave newsletter send` run, with the exactly-once
protocol (one commit per group of messages, between their data and their terminating dots) — hands
every personalized message (text + HTML, greeting, preference and unsubscribe links, List-* headers)
to an SMTP sink in a SEPARATE process (bench/outreach/sink.py, asyncio, counts and discards). The
resident memory of the sending process is sampled every second and at 10%, 50% and 100% of the list.
Then, in the same run, Django's `send_mass_mail` gets the same personalized messages (text only,
built up front as it requires) to the same sink, for comparison.
Results: bench/results/outreach.json (both engines) and outreach-<engine>.json."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common

TARGET_RATE = 500.0
SINK = Path(__file__).resolve().parent / "sink.py"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class MemorySampler(threading.Thread):
    """RSS every second; `peak` is the highest seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.peak = 0.0
        self.stopped = threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        while not self.stopped.is_set():
            value = rss_mb()
            self.peak = max(self.peak, value)
            self.samples.append((round(time.monotonic() - self.started_at, 1), round(value, 1)))
            self.stopped.wait(1.0)

    def stop(self) -> None:
        self.stopped.set()
        self.peak = max(self.peak, rss_mb())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SinkProcess:
    def __init__(self) -> None:
        self.port = free_port()
        self.stats = Path(tempfile.mkdtemp(prefix="netweave-sink-")) / "stats.json"
        self.process = subprocess.Popen(
            [sys.executable, str(SINK), str(self.port), str(self.stats)]
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the SMTP sink did not start")

    def messages(self) -> int:
        time.sleep(0.6)  # the sink writes its counts twice a second
        return int(json.loads(self.stats.read_text())["messages"])

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


def child(engine: str, database_url: str, data_dir: str, subscribers: int) -> dict[str, Any]:
    common.setup_django(database_url, data_dir)
    from django.conf import settings
    from django.core.mail import send_mass_mail

    from netweave.lib.testing import make_network
    from netweave.outreach import delivery
    from netweave.outreach.mail import NewsletterComposer
    from netweave.outreach.models import Delivery, Subscriber
    from netweave.outreach.tests.delivery_fixtures import make_issue

    sink = SinkProcess()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        started = time.perf_counter()
        network = make_network(name="Bench Network", slug="bench")
        issue = make_issue(network, readers=subscribers, editions=("en", "fr"), batch_size=500)
        french = list(Subscriber.objects.filter(network=network).values_list("pk", flat=True)[::4])
        for start in range(0, len(french), 5000):
            Subscriber.objects.filter(pk__in=french[start : start + 5000]).update(language="fr")
        common.analyze()
        populate_s = time.perf_counter() - started

        started = time.perf_counter()
        made = delivery.start_sending(issue.newsletter, enqueue=False)
        create_s = time.perf_counter() - started

        sampler = MemorySampler()
        sampler.start()
        marks = {max(1, subscribers // 10): "10%", max(1, subscribers // 2): "50%"}
        at_marks: dict[str, dict[str, float]] = {}

        def progress(counts: Any, total: int) -> None:
            for threshold, label in marks.items():
                if label not in at_marks and counts.done >= threshold:
                    at_marks[label] = {"sent": counts.done, "rss_mb": round(rss_mb(), 1)}

        rss_before = rss_mb()
        counts = delivery.send_pending(issue.newsletter.pk, progress=progress)
        send_s = counts.elapsed
        sampler.stop()
        at_marks["100%"] = {"sent": counts.done, "rss_mb": round(rss_mb(), 1)}
        received = sink.messages()
        sent_rows = Delivery.objects.filter(newsletter=issue.newsletter, status="sent").count()

        # Django's send_mass_mail: the same personalized messages (it takes text only, all built
        # up front), one connection, to the same sink.
        mass_sampler = MemorySampler()
        mass_sampler.start()
        started = time.perf_counter()
        composer = NewsletterComposer(issue.newsletter)
        rows = Delivery.objects.filter(newsletter=issue.newsletter).select_related("subscriber")
        datatuple = []
        for row in rows.iterator(chunk_size=2000):
            assert row.subscriber is not None
            subject, text, _html = composer.bodies(
                language=row.language,
                name=row.subscriber.name,
                subscriber_token=row.subscriber.token,
                delivery_id=row.pk,
            )
            datatuple.append((subject, text, composer.sender, [row.email]))
        mass_sent = send_mass_mail(datatuple)
        mass_s = time.perf_counter() - started
        mass_sampler.stop()
        mass_received = sink.messages() - received
    finally:
        sink.stop()

    rate = counts.sent / send_s if send_s else 0.0
    return {
        "benchmark": "outreach-send",
        "engine": engine,
        "server_version": common.server_version(engine),
        "machine": common.machine(),
        "subscribers": subscribers,
        "populate_s": round(populate_s, 1),
        "deliveries_made": made,
        "start_sending_s": round(create_s, 2),
        "netweave": {
            "sent": counts.sent,
            "failed": counts.failed,
            "received_by_sink": received,
            "rows_marked_sent": sent_rows,
            "seconds": round(send_s, 2),
            "msg_per_s": round(rate, 1),
            "rss_before_mb": round(rss_before, 1),
            "rss_at": at_marks,
            "peak_rss_mb": round(sampler.peak, 1),
            "rss_samples": sampler.samples[:: max(1, len(sampler.samples) // 60)],
        },
        "send_mass_mail": {
            "sent": mass_sent,
            "received_by_sink": mass_received,
            "seconds": round(mass_s, 2),
            "msg_per_s": round(mass_sent / mass_s, 1) if mass_s else 0.0,
            "peak_rss_mb": round(mass_sampler.peak, 1),
            "note": "text only, no per-message commit, all messages built in memory first",
        },
        "target_msg_per_s": TARGET_RATE,
        "meets_target": rate >= TARGET_RATE and received == subscribers == sent_rows,
    }


def print_report(result: dict[str, Any]) -> None:
    ours, mass = result["netweave"], result["send_mass_mail"]
    print(
        f"\noutreach send — {result['engine']} {result['server_version']}, "
        f"{result['subscribers']:,} subscribers, {result['machine']['cpus']} CPUs"
    )
    print(f"  start_sending (Delivery rows): {result['start_sending_s']:.1f}s")
    print(f"  {'':<22}{'msg/s':>9}{'seconds':>10}{'received':>10}{'peak RSS':>10}")
    print(
        f"  {'netweave send_pending':<22}{ours['msg_per_s']:>9.0f}{ours['seconds']:>10.1f}"
        f"{ours['received_by_sink']:>10}{ours['peak_rss_mb']:>8.0f}MB"
    )
    print(
        f"  {'django send_mass_mail':<22}{mass['msg_per_s']:>9.0f}{mass['seconds']:>10.1f}"
        f"{mass['received_by_sink']:>10}{mass['peak_rss_mb']:>8.0f}MB"
    )
    marks = ", ".join(f"{k}: {v['rss_mb']:.0f}MB" for k, v in ours["rss_at"].items())
    print(f"  RSS while sending ({marks})")
    verdict = "meets" if result["meets_target"] else "MISSES"
    print(f"  {verdict} the target of {result['target_msg_per_s']:.0f} msg/s, every message once")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args.child, args.database_url, args.data_dir, args.subscribers)
        print(json.dumps(result, default=str))
        return 0
    results = {}
    for engine in args.engines.split(","):
        with common.database(engine) as url:
            result = common.run_child(
                Path(__file__), engine, url, ["--subscribers", str(args.subscribers)]
            )
        common.write_result(f"outreach-{engine}", result)
        print_report(result)
        results[engine] = result
    # outreach.json keeps the latest result of every engine (a run may cover only one).
    combined = common.RESULTS / "outreach.json"
    engines = json.loads(combined.read_text()).get("engines", {}) if combined.exists() else {}
    path = common.write_result("outreach", {"engines": {**engines, **results}})
    print(f"(written to {path.relative_to(common.ROOT)})")
    return 0 if all(r["meets_target"] for r in results.values()) else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
