"""`netweave serve [--host H] [--port P]`: the web server and the task worker, together.

Collects static files, then runs gunicorn (config.wsgi) and `netweave worker` as child processes
and watches both: Ctrl-C or SIGTERM stops both cleanly; if either one dies, the other is stopped
and `serve` exits with a non-zero code, so a process manager notices and restarts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

POLL_SECONDS = 0.2
STOP_TIMEOUT_SECONDS = 20


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to SIGTERM the child if `serve` itself is killed without a chance to clean up."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def gunicorn_has_control_socket() -> bool:
    from gunicorn import config

    return hasattr(config, "ControlSocketDisable")


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Serve NetWeave: gunicorn and the background task worker, stopped together."
    requires_system_checks: list[str] = []  # the children run the checks that matter

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="gunicorn worker processes (default 2, or WEB_CONCURRENCY)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not port_is_free(host, port):
            raise CommandError(
                _("Port %(port)s on %(host)s is in use; choose another with --port.")
                % {"port": port, "host": host}
            )
        call_command("collectstatic", interactive=False, verbosity=0)

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        commands = {
            "web server": [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                bind_address(host, port),
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--graceful-timeout",
                "10",
                "--access-logfile",
                "-",
            ],
            "task worker": [sys.executable, "-m", "netweave.cli", "worker", "--no-reload"],
        }
        if gunicorn_has_control_socket():
            # gunicorn >= 25.1 opens ~/.gunicorn/gunicorn.ctl, which two instances would share.
            commands["web server"].append("--no-control-socket")
        stop_signal: list[int] = []

        def request_stop(signum: int, frame: Any) -> None:
            stop_signal.append(signum)

        previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
        children: dict[str, subprocess.Popen[bytes]] = {}
        try:
            for name, command in commands.items():
                # A session of their own: a Ctrl-C in the terminal reaches `serve` only, which
                # then stops each child in the way it expects.
                children[name] = subprocess.Popen(  # noqa: S603 - our own fixed command lines
                    command, env=env, start_new_session=True, preexec_fn=_die_with_parent
                )
            self.stdout.write(
                _(
                    "NetWeave is serving on http://%(address)s/ (web server pid %(web)s, task "
                    "worker pid %(worker)s). Press Ctrl-C to stop."
                )
                % {
                    "address": bind_address(host, port),
                    "web": children["web server"].pid,
                    "worker": children["task worker"].pid,
                }
            )
            self.stdout.flush()
            failed = self._watch(children, stop_signal)
        finally:
            self._stop_all(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if failed is not None:
            name, code = failed
            raise CommandError(
                _("The %(name)s stopped (exit code %(code)s), so NetWeave was stopped.")
                % {"name": name, "code": code},
                returncode=code if code and code > 0 else 1,
            )
        self.stdout.write(_("Stopped."))

    def _watch(
        self, children: dict[str, subprocess.Popen[bytes]], stop_signal: list[int]
    ) -> tuple[str, int] | None:
        """Wait for a stop request (None) or for a child to exit (its name and exit code)."""
        while not stop_signal:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    return name, code
            time.sleep(POLL_SECONDS)
        return None

    def _stop_all(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        # SIGTERM is a graceful stop for both gunicorn (finish in-flight requests) and the worker
        # (it stops after its current task).
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(
                    _("The %(name)s did not stop in time; killing it.") % {"name": name}
                )
                child.kill()
                child.wait()
