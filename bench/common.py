"""What the benchmarks share: databases to run against, child processes, statistics, results.

Each benchmark runs once per database engine, in a child process of its own (Django reads
DATABASE_URL once, at start-up): a SQLite file in a temporary folder, and PostgreSQL, either the
server named by BENCH_PG_URL or a throwaway cluster (initdb + pg_ctl in a temporary folder, a unix
socket only, removed afterwards). As root the cluster runs as the `postgres` user."""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import math
import os
import platform
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SETTINGS = "config.settings.test"  # DEBUG off, plain static storage: the app as it serves pages


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with `share` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = min(len(ordered), max(1, math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "max_ms": round(max(ms), 2) if ms else 0.0,
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else 0.0,
    }


def machine() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def server_version(engine: str) -> object:
    """The database server's version, for the results (call after `setup_django`)."""
    from django.db import connection

    if engine == "sqlite":
        return connection.Database.sqlite_version  # type: ignore[attr-defined]
    return connection.pg_version  # type: ignore[attr-defined]


def write_result(name: str, result: dict[str, object]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["NETWEAVE_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite)
    would after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- databases ---------------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(found).parent))
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _version_key(path: str) -> tuple[int, ...]:
    parts = Path(path).parent.name.split(".")
    return tuple(int(p) for p in parts if p.isdigit())


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary folder; yields its DATABASE_URL, then removes it."""
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL server binaries not found: apt-get install -y postgresql")
    workdir = Path(tempfile.mkdtemp(prefix="netweave-bench-pg-"))
    datadir, log = workdir / "data", workdir / "postgres.log"
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = "postgres"
        entry = pwd.getpwnam(user)
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
        prefix = ["runuser", "-u", user, "--"]
    else:
        user, prefix = pwd.getpwuid(os.geteuid()).pw_name, []
    port = 5432 + (os.getpid() % 20000)  # a unix socket only: the number just names it
    started = False
    try:
        subprocess.run(
            [
                *prefix,
                str(bindir / "initdb"),
                f"--pgdata={datadir}",
                f"--username={user}",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        options = f"-c listen_addresses='' -k {workdir} -p {port} -c max_connections=20"
        subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(datadir),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "start",
                "-o",
                options,
            ],
            check=True,
            capture_output=True,
        )
        started = True
        subprocess.run(
            [
                *prefix,
                str(bindir / "createdb"),
                "-h",
                str(workdir),
                "-p",
                str(port),
                "-U",
                user,
                "bench",
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgres://{user}@/bench?host={workdir}&port={port}"
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"],
                capture_output=True,
            )
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def database(engine: str) -> Iterator[str]:
    """A DATABASE_URL for `engine` ("sqlite" or "postgres"), empty and ready for migrate."""
    if engine == "sqlite":
        folder = tempfile.mkdtemp(prefix="netweave-bench-sqlite-")
        try:
            yield f"sqlite:///{folder}/bench.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    elif engine == "postgres":
        given = os.environ.get("BENCH_PG_URL")
        if given:
            yield given
        else:
            with throwaway_postgres() as url:
                yield url
    else:
        raise ValueError(engine)


def run_child(
    script: Path, engine: str, database_url: str, args: Sequence[str]
) -> dict[str, object]:
    """Run `script --child` against one database; it prints its result as JSON on its last line."""
    data_dir = tempfile.mkdtemp(prefix="netweave-bench-data-")
    try:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        done = subprocess.run(
            [
                sys.executable,
                str(script),
                "--child",
                engine,
                "--database-url",
                database_url,
                "--data-dir",
                data_dir,
                *args,
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"{script.name} on {engine} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_main(
    *,
    script: Path,
    name: str,
    description: str,
    options: Sequence[tuple[str, int]],
    child: Callable[..., dict[str, Any]],
    print_report: Callable[[dict[str, Any]], None],
) -> int:
    """The command line every benchmark shares: run `script --child` once per engine on a fresh
    database, write and print each result, exit 1 when any misses its target.

    `options` are the benchmark's own integer options (name, default); `child(engine, database_url,
    data_dir, *option values)` runs inside the child process and returns the result."""
    parser = argparse.ArgumentParser(description=description)
    for option, default in options:
        parser.add_argument(f"--{option}", type=int, default=default)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    values = [getattr(args, option.replace("-", "_")) for option, _default in options]
    if args.child:
        result = child(args.child, args.database_url, args.data_dir, *values)
        print(json.dumps(result, default=str))
        return 0
    forwarded = [
        item
        for (option, _d), value in zip(options, values, strict=True)
        for item in (f"--{option}", str(value))
    ]
    results = []
    for engine in args.engines.split(","):
        with database(engine) as url:
            result = run_child(script, engine, url, forwarded)
        path = write_result(f"{name}-{engine}", result)
        print_report(result)
        print(f"(written to {path.relative_to(ROOT)})")
        results.append(result)
    return 0 if all(r["meets_target"] for r in results) else 1
