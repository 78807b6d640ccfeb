"""`netweave serve` as a person runs it: the real console script, real child processes, signals."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
PIDS = re.compile(r"web server pid (\d+), task worker pid (\d+)")


def netweave() -> list[str]:
    script = BIN / "netweave"
    return [str(script)] if script.exists() else [sys.executable, "-m", "netweave.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too; only its parent has not collected it yet.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmdline and alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def eventually(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh SQLite database with the demo loaded through the console script."""
    folder = tmp_path_factory.mktemp("serve")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "NETWEAVE_DATA_DIR"}
    }
    env |= {
        "DATABASE_URL": f"sqlite:///{folder / 'netweave.sqlite3'}",
        "NETWEAVE_DATA_DIR": str(folder),
    }
    done = subprocess.run(
        [*netweave(), "demo"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Loaded the demo" in done.stdout
    return env


class Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [*netweave(), "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        match = PIDS.search(line)
        assert match, f"serve printed {line!r}"
        self.web, self.worker = int(match[1]), int(match[2])
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_until_healthy(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if get(self.url + "/healthz") == 200:
                    return
            except OSError:
                pass
            assert self.process.poll() is None, "serve exited while starting"
            time.sleep(0.3)
        raise AssertionError("/healthz did not answer 200 in time")

    def leftovers(self) -> list[int]:
        """Children (and gunicorn's own workers) still running."""
        return [pid for pid in (self.web, self.worker) if alive(pid)] + processes_mentioning(
            f"127.0.0.1:{self.port}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        for pid in self.leftovers():
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def server(environment: dict[str, str]) -> Iterator[Server]:
    running = Server(environment)
    yield running
    running.stop()


class ServeTests:
    def test_it_serves_the_demo_and_ctrl_c_stops_both_children(self, server: Server):
        server.wait_until_healthy()
        assert get(server.url + "/n/lahp/") == 200
        assert get(server.url + "/accounts/login/") == 200
        assert alive(server.web) and alive(server.worker)

        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=60) == 0
        assert server.leftovers() == []

    def test_when_the_task_worker_dies_the_web_server_is_stopped_and_serve_fails(
        self, server: Server
    ):
        server.wait_until_healthy()
        os.kill(server.worker, signal.SIGKILL)
        assert server.process.wait(timeout=60) != 0
        assert server.leftovers() == []
        with pytest.raises(OSError):
            get(server.url + "/healthz")

    def test_when_the_web_server_dies_the_task_worker_is_stopped_and_serve_fails(
        self, server: Server
    ):
        server.wait_until_healthy()
        os.kill(server.web, signal.SIGKILL)
        assert server.process.wait(timeout=60) != 0
        assert not alive(server.worker)
        # gunicorn's own workers notice their master is gone and exit by themselves.
        assert eventually(lambda: server.leftovers() == [], seconds=30)
