#!/usr/bin/env bash
# What collecting metrics costs: the same silo with Prometheus on (the default, scraped every 5 s as a Prometheus
# server would) and off (--Sessions:Telemetry:Prometheus=false), alternating in the same run, several rounds, medians.
# Sign-ons run with SyncToDisk=false so that the CPU a measurement costs is not hidden behind fsync waits.
# Usage: bench/http/metrics.sh [rounds] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-4}
DURATION=${2:-15}
CONNECTIONS=${3:-32}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

source bench/common.sh

run_case() { # name, round, extra silo args...
  local name=$1 round=$2; shift 2
  local port; port=$(free_port)
  dotnet "$SILO" --urls "http://127.0.0.1:$port" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
    --Orleans:ClusterId="bench-$name-$round" --Sessions:DataDirectory="$WORK/$name-$round" --Sessions:Auth:BootstrapKey="$KEY" \
    --Sessions:Sqlite:SyncToDisk=false "$@" >"$WORK/$name-$round.log" 2>&1 &
  local pid=$!
  local url="http://127.0.0.1:$port"
  wait_healthy "$url"
  local scraper=""
  if curl -sf "$url/metrics" >/dev/null; then
    (while true; do curl -sf "$url/metrics" >/dev/null || true; sleep 5; done) &
    scraper=$!
  fi
  wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/signon.lua "$url" >/dev/null             # warm-up (JIT, activations)
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/http/signon.lua "$url" >"$WORK/$name-$round.signon.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/http/list.lua "$url" >"$WORK/$name-$round.list.txt"
  [[ -n "$scraper" ]] && kill "$scraper"
  kill -TERM "$pid"; wait "$pid" || true
  printf '%-4s round %d  sign-on %9s req/s  list %9s req/s\n' "$name" "$round" \
    "$(wrk_rate "$WORK/$name-$round.signon.txt")" "$(wrk_rate "$WORK/$name-$round.list.txt")"
  echo "$name $(wrk_rate "$WORK/$name-$round.signon.txt") $(wrk_rate "$WORK/$name-$round.list.txt")" >>"$WORK/summary"
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds on $(nproc) cores, $(date -u +%FT%TZ)"
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then
    run_case on "$round"; run_case off "$round" --Sessions:Telemetry:Prometheus=false
  else
    run_case off "$round" --Sessions:Telemetry:Prometheus=false; run_case on "$round"
  fi
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
on_signon=$(awk '$1=="on" {print $2}' "$WORK/summary" | median)
off_signon=$(awk '$1=="off" {print $2}' "$WORK/summary" | median)
on_list=$(awk '$1=="on" {print $3}' "$WORK/summary" | median)
off_list=$(awk '$1=="off" {print $3}' "$WORK/summary" | median)
echo "medians: sign-on on $on_signon / off $off_signon = x$(awk -v a="$on_signon" -v b="$off_signon" 'BEGIN {printf "%.3f", a/b}');" \
  "list on $on_list / off $off_list = x$(awk -v a="$on_list" -v b="$off_list" 'BEGIN {printf "%.3f", a/b}')"
