#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#
#     tools/pg_test_cluster.sh .venv/bin/pytest -n 2
#
# initdb in a temporary directory, a server that listens only on a unix socket in that directory
# (under a random free port number), DATABASE_URL exported for the command, and everything stopped
# and removed when the command ends, whether it passed, failed or was interrupted. Exits with the
# command's status. As root the server runs as the `postgres` user (PostgreSQL refuses root).
# Development tool only: trust authentication, fsync off.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir)"
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
    fi
    # Debian keeps the server binaries out of PATH, one directory per major version.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return
    fi
    echo "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql" >&2
    exit 1
}

BINDIR="$(find_bindir)"
WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/netweave-pg.XXXXXX")"
DATADIR="$WORKDIR/data"
SOCKETDIR="$WORKDIR"
LOGFILE="$WORKDIR/postgres.log"
DBNAME="netweave"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

if [[ "$(id -u)" == "0" ]]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "running as root but there is no 'postgres' user to run the server as" >&2
        exit 1
    fi
    DBUSER="postgres"
    chown postgres: "$WORKDIR"
    as_server() { runuser -u postgres -- "$@"; }
else
    DBUSER="$(id -un)"
    as_server() { "$@"; }
fi

STARTED=0
RAN_COMMAND=0
cleanup() {
    local status=$?
    if [[ "$STARTED" == "1" ]]; then
        as_server "$BINDIR/pg_ctl" -D "$DATADIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    # The server's log helps only when the cluster itself failed, not when the command did.
    if [[ $status -ne 0 && "$RAN_COMMAND" == "0" && -f "$LOGFILE" ]]; then
        echo "--- last lines of the PostgreSQL log ---" >&2
        tail -n 20 "$LOGFILE" >&2 || true
    fi
    rm -rf "$WORKDIR"
    exit $status
}
# On Ctrl-C the command gets the signal too; bash runs these traps once it has ended.
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_server "$BINDIR/initdb" --pgdata="$DATADIR" --username="$DBUSER" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$WORKDIR/initdb.log" 2>&1 || {
    cat "$WORKDIR/initdb.log" >&2
    exit 1
}

# Durability buys nothing for a cluster that is deleted in a few minutes.
as_server "$BINDIR/pg_ctl" -D "$DATADIR" -l "$LOGFILE" -w -t 60 start -o \
    "-c listen_addresses='' -k $SOCKETDIR -p $PORT -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c max_connections=50" >/dev/null
STARTED=1

as_server "$BINDIR/createdb" -h "$SOCKETDIR" -p "$PORT" -U "$DBUSER" "$DBNAME"

export DATABASE_URL="postgres://$DBUSER@/$DBNAME?host=$SOCKETDIR&port=$PORT"
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on $SOCKETDIR port $PORT" \
    "(DATABASE_URL=$DATABASE_URL)"

RAN_COMMAND=1
set +e
"$@"
status=$?
set -e
exit $status
