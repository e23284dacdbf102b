#!/usr/bin/env bash
# Runs every test of the solution. The cluster tests need PostgreSQL: this starts a throwaway server
# (binaries from PATH or /usr/lib/postgresql/*/bin) on a free loopback port, exports its connection
# string as SESSIONS_TEST_POSTGRES, and removes it afterwards. Extra arguments go to `dotnet test`.
# TEST_RESULTS_DIR (default artifacts/test-results) receives one <project>.trx per test project.
set -euo pipefail
cd "$(dirname "$0")/.."

find_pg_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    echo "$dir"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PG_BIN=$(find_pg_bin)
if [[ -z "$PG_BIN" ]]; then
  cat >&2 <<'MSG'
PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin.
The cluster tests start their own throwaway PostgreSQL; install the server first:
  Debian/Ubuntu:  sudo apt-get install -y postgresql
  Fedora/RHEL:    sudo dnf install -y postgresql-server
  macOS:          brew install postgresql@15
MSG
  exit 1
fi

PG_DIR=$(mktemp -d -t orleans-sessions-pg-XXXXXX)
as_pg() {
  if [[ "$(id -u)" == "0" ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [[ "$(id -u)" == "0" ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PG_DIR"
fi

cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap cleanup EXIT

PG_PORT=$((20000 + RANDOM % 20000))
while port_in_use "$PG_PORT"; do PG_PORT=$((PG_PORT + 1)); done

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null \
  || { cat "$PG_DIR/server.log" >&2; exit 1; }
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$PG_PORT"

export SESSIONS_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Maximum Pool Size=20"
RESULTS=${TEST_RESULTS_DIR:-artifacts/test-results}
mkdir -p "$RESULTS"
dotnet build Orleans.Sessions.sln

# One project at a time: each gets the machine's two cores and a result file named after it.
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" "$@" || status=1
done
exit $status
