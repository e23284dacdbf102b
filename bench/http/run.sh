#!/usr/bin/env bash
# Single-node HTTP throughput: durable sign-ons/s and GET-list requests/s with wrk (loopback), for the
# SQLite group commit (default) and, as the baseline of the same run, SQLite with one write per commit.
# A GET /healthz run gives the HTTP ceiling of the same host; a third run with the directory off
# (Sessions:DirectoryEnabled=false) gives what feeding the directory costs sign-ons. Usage: bench/http/run.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
CONNECTIONS=${2:-32}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

source bench/common.sh

run_case() { # name, extra silo args...
  local name=$1; shift
  local port; port=$(free_port)
  local data="$WORK/$name"
  dotnet "$SILO" --urls "http://127.0.0.1:$port" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
    --Orleans:ClusterId="bench-$name" --Sessions:DataDirectory="$data" --Sessions:Auth:BootstrapKey="$KEY" "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  local url="http://127.0.0.1:$port"
  wait_healthy "$url"
  wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/signon.lua "$url" >/dev/null             # warm-up (JIT, activations)
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signon.lua "$url" >"$WORK/$name.signon.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/list.lua "$url" >"$WORK/$name.list.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$url/healthz" >"$WORK/$name.health.txt"
  kill -TERM "$pid"; wait "$pid" || true
  local commits; commits=$(grep -o 'closed: .*' "$WORK/$name.log" | head -n 1)
  printf '%-14s sign-on %8s req/s (p99 %s, non-2xx %s)  list %8s req/s (p99 %s)  healthz %8s req/s  storage %s\n' \
    "$name" "$(wrk_rate "$WORK/$name.signon.txt")" "$(wrk_p99 "$WORK/$name.signon.txt")" "$(wrk_errors "$WORK/$name.signon.txt")" \
    "$(wrk_rate "$WORK/$name.list.txt")" "$(wrk_p99 "$WORK/$name.list.txt")" "$(wrk_rate "$WORK/$name.health.txt")" "${commits#closed: }"
  echo "$name $(wrk_rate "$WORK/$name.signon.txt") $(wrk_rate "$WORK/$name.list.txt") $(wrk_rate "$WORK/$name.health.txt")" >>"$WORK/summary"
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on $(nproc) cores, $(date -u +%FT%TZ)"
run_case group-commit
run_case one-per-commit --Sessions:Sqlite:MaxBatchSize=1
run_case no-directory --Sessions:DirectoryEnabled=false
awk 'NR==1 {g=$2; gl=$3} NR==2 {printf "group commit / one write per commit: sign-on x%.2f, list x%.2f\n", g/$2, gl/$3}
     NR==3 {printf "directory on / directory off: sign-on x%.2f\n", g/$2}' "$WORK/summary"
