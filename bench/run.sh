#!/usr/bin/env bash
# The benchmark (bench/README.md): the service on one node as shipped (durable SQLite) against its ceiling
# (bench/Ceiling: the same routes and JSON from dictionaries on bare Kestrel) in the same run, alternating which goes
# first, several rounds, medians; every scenario at each connection count; then grain calls without HTTP and the
# resident memory per active session (bench/GrainBench); then durable sign-ons with state on PostgreSQL against plain
# upserts on the same server (bench/cluster/run.sh; POSTGRES=0 leaves it out). Writes a Markdown table to bench/results/.
# Usage: [CONNECTIONS="32 256"] [SCENARIOS="list activity me listall mix signon"] [MEMORY_USERS=100000] [POSTGRES=1] bench/run.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${2:-15}
read -r -a CONNECTION_COUNTS <<<"${CONNECTIONS:-32 256}"
read -r -a SCENARIO_LIST <<<"${SCENARIOS:-list activity me listall mix signon}"

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "wrk is required: sudo apt-get install -y wrk" >&2
    exit 1
  fi
fi
command -v node >/dev/null || { echo "Node.js 20 or later is required (bench/http/seed.mjs)" >&2; exit 1; }

echo "building Release…"
dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
dotnet build -c Release bench/Ceiling -v quiet -nologo >/dev/null
dotnet build -c Release bench/GrainBench -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
CEILING=bench/Ceiling/bin/Release/net10.0/Ceiling.dll
WORK=$(mktemp -d -t orleans-sessions-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh

start() { # target, round; sets PID and URL
  local port; port=$(free_port)
  URL="http://127.0.0.1:$port"
  if [[ $1 == service ]]; then
    dotnet "$SILO" --urls "$URL" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Orleans:ClusterId="bench-$2" \
      --Sessions:DataDirectory="$WORK/data-$2" --Sessions:Auth:BootstrapKey="$KEY" >"$WORK/$1-$2.log" 2>&1 &
    PID=$!
    wait_healthy "$URL"
  else
    dotnet "$CEILING" --urls "$URL" --key "$KEY" >"$WORK/$1-$2.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "$URL/v1/me/sessions" && break; sleep 0.1; done
  fi
}

measure() { # target, round, scenario, connections
  local out="$WORK/$1-$2-$3-$4.txt"
  SCENARIO=$3 SEED="$WORK/seed-$1-$2" wrk -t2 -c"$4" -d2s -s bench/http/scenario.lua "$URL" >/dev/null   # warm-up
  SCENARIO=$3 SEED="$WORK/seed-$1-$2" wrk -t2 -c"$4" -d"${DURATION}s" --latency -s bench/http/scenario.lua "$URL" >"$out"
  local errors socket
  errors=$(wrk_errors "$out"); socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")
  printf '%s %s %s %s %s %s %s %s %s\n' "$1" "$2" "$3" "$4" "$(wrk_rate "$out")" \
    "$(ms "$(awk '/ 50%/ {print $2}' "$out")")" "$(ms "$(wrk_p99 "$out")")" "$(ms "$(awk '/Latency/ {print $4; exit}' "$out")")" \
    $(( ${errors:-0} + ${socket:-0} )) >>"$WORK/rows"
  printf '  %-8s round %d  %-8s c=%-4s %10s req/s  p99 %s\n' "$1" "$2" "$3" "$4" "$(wrk_rate "$out")" "$(wrk_p99 "$out")"
}

run_target() { # target, round
  start "$1" "$2"
  URL=$URL KEY=$KEY USERS=1000 PER_USER=10 OUT="$WORK/seed-$1-$2" node bench/http/seed.mjs
  # Every route once before anything is measured (JIT tiers, activations): the first measured scenario was slower
  # than the same one measured later.
  for scenario in "${SCENARIO_LIST[@]}"; do
    SCENARIO=$scenario SEED="$WORK/seed-$1-$2" wrk -t2 -c32 -d3s -s bench/http/scenario.lua "$URL" >/dev/null
  done
  for connections in "${CONNECTION_COUNTS[@]}"; do
    for scenario in "${SCENARIO_LIST[@]}"; do
      measure "$1" "$2" "$scenario" "$connections"
    done
  done
  kill -TERM "$PID"; wait "$PID" || true
}

COMMIT=$(git rev-parse --short HEAD)$([[ -z $(git status --porcelain -- src bench) ]] || echo "+changes")
STARTED=$(date -u +%FT%TZ)
echo "bench/run.sh: $ROUNDS rounds of ${DURATION}s per scenario, connections ${CONNECTION_COUNTS[*]}, at $COMMIT, $STARTED"
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then order=(service ceiling); else order=(ceiling service); fi
  for target in "${order[@]}"; do
    echo "round $round: $target"
    run_target "$target" "$round"
  done
done

echo "grain calls without HTTP, then memory: ${MEMORY_USERS:-100000} users x 10 sessions"
dotnet bench/GrainBench/bin/Release/net10.0/GrainBench.dll "$DURATION" "${MEMORY_USERS:-100000}" 10 | tee "$WORK/grain"
if [[ ${POSTGRES:-1} != 0 ]]; then
  echo "PostgreSQL: durable sign-ons against plain upserts on the same throwaway server (bench/cluster/run.sh)"
  SESSION_BYTES=$(awk '$1 == "rows" {print $3}' "$WORK/grain") bench/cluster/run.sh "$DURATION" 32 | tee "$WORK/postgres"
  echo "PostgreSQL with Orleans' ADO.NET grain storage (Sessions:Postgres:GrainStorage=AdoNet), for comparison"
  GRAIN_STORAGE=AdoNet WITH_UPSERTS=0 bench/cluster/run.sh "$DURATION" 32 | tee /dev/stderr | awk '$1 == "pg" && $2 ~ /^signon/ {$1 = "adonet"; print}' >>"$WORK/postgres"
fi

mkdir -p bench/results
RESULT="bench/results/$(date -u +%F)-$COMMIT.md"
{
  echo "# bench/run.sh at $COMMIT, $STARTED"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), .NET $(dotnet --version)."
  echo "wrk -t2 on the same cores, $ROUNDS rounds of ${DURATION}s per scenario, service and ceiling alternating; medians."
  echo "The service: one silo as shipped (durable SQLite, group commit); 1,000 users with 10 sessions each seeded first."
  echo
  echo "| scenario | conns | service req/s | p50 ms | p99 ms | max ms | errors | ceiling req/s | ratio | target | met? |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for connections in "${CONNECTION_COUNTS[@]}"; do
    for scenario in "${SCENARIO_LIST[@]}"; do
      awk -v s="$scenario" -v c="$connections" -f bench/results.awk "$WORK/rows"
    done
  done
  echo
  echo "Grain calls in the silo's process, no HTTP (bench/GrainBench, 32 callers, ${DURATION}s):"
  echo
  echo "| call | calls/s | p50 ms | p99 ms | max ms | errors |"
  echo "| --- | --- | --- | --- | --- | --- |"
  awk '$1 == "grain" {printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7}' "$WORK/grain"
  echo
  awk '$1 == "grain" && $2 == "signon" {s = $3} $1 == "grain" && $2 == "storage" {c = $3} $1 == "rows" {hd = $2; se = $3; ev = $4}
       END {if (c) printf "Storage ceiling: the grain storage'"'"'s SQLite store alone commits %s sign-ons/s of the rows a sign-on writes (head %s bytes + session %s bytes + the dropped session'"'"'s delete + event %s bytes, same group commit); grain sign-ons reach x%.2f of it.\n", c, hd, se, ev, s / c}' "$WORK/grain"
  echo
  if [[ -s $WORK/postgres ]]; then
    awk '$1 == "pg" {v[$2] = $3; x[$2] = $4} $1 == "adonet" {a[$2] = $3; y[$2] = $4}
         END {printf "PostgreSQL (the project'"'"'s grain storage: a row per session, group commit; 32 connections, %ss): durable sign-ons on active grains %s/s (p99 %s), on new users %s/s (p99 %s); plain single-row upserts on the same server %s/s of one session'"'"'s %s bytes and %s/s of the user'"'"'s whole state (%s bytes). Sign-ons / session-row upserts: **x%.2f** — target >= 0.6: %s; / state-row upserts: x%.2f. With Orleans'"'"' ADO.NET grain storage (the whole state a write), same server, next: %s/s (p99 %s) on active grains, %s/s (p99 %s) on new users — the project'"'"'s storage x%.2f.\n",
              d, v["signon"], x["signon"], v["signon-new-user"], x["signon-new-user"], v["upsert-session"], x["upsert-session"], v["upsert-state"], x["upsert-state"],
              v["signon"] / v["upsert-session"], (v["signon"] / v["upsert-session"] >= 0.6) ? "yes" : "**no**", v["signon"] / v["upsert-state"],
              a["signon"], y["signon"], a["signon-new-user"], y["signon-new-user"], v["signon"] / a["signon"]}' d="$DURATION" "$WORK/postgres"
    echo
  fi
  awk '$1 == "risk" {printf "Risk evaluation (docs/risk.md): sign-ons with places, evaluated %s/s, not evaluated %s/s, same run, two rounds each: **x%s** — target >= 0.9: %s.\n", $2, $3, $4, ($4 >= 0.9) ? "yes" : "**no**"}' "$WORK/grain"
  awk '$1 == "memory" {printf "Memory: **%s bytes resident per active session** (%s sessions, directory included; resident %s MiB before, %s MiB after a full GC, of which GC heap %s MiB) — target <= 2,048: %s.\n", $2, $3, $4, $5, $6, ($2 <= 2048) ? "yes" : "**no**"}' "$WORK/grain"
} >"$RESULT"
cat "$RESULT"
echo "written to $RESULT"
