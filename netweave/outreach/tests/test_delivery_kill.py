"""The exactly-once promise under a real crash: a sender SIGKILLed in the middle of an issue and
started again delivers every recipient's message once, not zero times and not twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from conftest import ROOT, free_port
from netweave.lib.testing import make_network
from netweave.outreach.models import Delivery, Newsletter
from netweave.outreach.tests.delivery_fixtures import Sink, make_issue, start_sink

READERS = 5000
KILL_AFTER = 1500


def _database_url(folder: Path) -> str:
    """A URL to this test's database that another process can open: SQLite's in-memory test
    database is copied to a file (VACUUM INTO); PostgreSQL's test database is used as it is."""
    if connection.vendor == "sqlite":
        path = folder / "kill.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])
        return f"sqlite:///{path}"
    given = connection.settings_dict
    options = given.get("OPTIONS") or {}
    user = given["USER"] or ""
    password = f":{given['PASSWORD']}" if given["PASSWORD"] else ""
    host = str(given["HOST"] or options.get("host") or "")
    port = str(given["PORT"] or options.get("port") or "")
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{given['NAME']}?host={host}&port={port or 5432}"
    return f"postgres://{user}{password}@{host}:{port or 5432}/{given['NAME']}"


def _statuses(database_url: str, env: dict[str, str]) -> dict[str, int]:
    script = (
        "import django, json; django.setup();"
        "from django.db.models import Count;"
        "from netweave.outreach.models import Delivery;"
        "print(json.dumps({r['status']: r['n'] for r in "
        "Delivery.objects.values('status').annotate(n=Count('pk'))}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    import json

    return {str(k): int(v) for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_mid_issue_and_restarted_delivers_each_message_exactly_once(
    tmp_path: Path,
) -> None:
    network = make_network(slug="killed")
    issue = make_issue(network, readers=READERS, batch_size=100)
    sink = Sink(pipelining=True)  # as Postfix: the sender's fast path
    port = free_port()
    controller = start_sink(sink, port)
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": _database_url(tmp_path),
            "NETWEAVE_DATA_DIR": str(tmp_path / "data"),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DEBUG", None)
        command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "newsletter",
            "send",
            "--network",
            "killed",
            "--latest",
            "--yes",
        ]
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while sink.messages < KILL_AFTER:
            assert first.poll() is None, first.communicate()
            if time.monotonic() > deadline:
                first.kill()
                pytest.fail(f"the sender stalled at {sink.messages}: {first.communicate()}")
            time.sleep(0.001)
        first.send_signal(signal.SIGKILL)
        first.communicate()
        assert first.returncode == -signal.SIGKILL
        killed_at = sink.messages
        after_kill = _statuses(env["DATABASE_URL"], env)
        assert after_kill.get("queued", 0) > 0, "the kill came too late to test anything"
        # Every message the server took is a row marked sent, and the other way around (the
        # in-flight message is either both or neither).
        time.sleep(0.2)  # the server has read what the kernel still had for it
        assert after_kill["sent"] == sink.messages, (after_kill, killed_at, sink.messages)

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        assert "is sent" in second.stdout
    finally:
        controller.stop()

    expected = {f"reader1-{n}@example.org" for n in range(READERS)}
    assert set(sink.per_recipient) == expected
    assert set(sink.per_recipient.values()) == {1}, "someone got the issue twice"
    assert len(sink.per_message_id) == READERS and set(sink.per_message_id.values()) == {1}
    assert _statuses(env["DATABASE_URL"], env) == {"sent": READERS}
    if connection.vendor != "sqlite":  # the same database: read it directly
        assert Delivery.objects.filter(status="sent").count() == READERS
        assert Newsletter.objects.get(pk=issue.newsletter.pk).status == "sent"
