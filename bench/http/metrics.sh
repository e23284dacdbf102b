#!/usr/bin/env bash
# What the operations features cost: the same silo as shipped ("all": Prometheus scraped every 5 s as a Prometheus
# server would, and the Orleans dashboard), without Prometheus (--Sessions:Telemetry:Prometheus=false) and without
# the dashboard (--Sessions:Dashboard:Enabled=false), in rotating order in the same run, several rounds, medians.
# Sign-ons run with SyncToDisk=false so that the CPU a measurement costs is not hidden behind fsync waits.
# Usage: [CASES="all no-metrics"] bench/http/metrics.sh [rounds] [seconds] [connections]
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
  printf '%-12s round %d  sign-on %9s req/s  list %9s req/s\n' "$name" "$round" \
    "$(wrk_rate "$WORK/$name-$round.signon.txt")" "$(wrk_rate "$WORK/$name-$round.list.txt")"
  echo "$name $(wrk_rate "$WORK/$name-$round.signon.txt") $(wrk_rate "$WORK/$name-$round.list.txt")" >>"$WORK/summary"
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds on $(nproc) cores, $(date -u +%FT%TZ)"
read -r -a cases <<<"${CASES:-all no-metrics no-dashboard}"   # "all" first: the ratios are against it
declare -A args=([all]="" [no-metrics]="--Sessions:Telemetry:Prometheus=false" [no-dashboard]="--Sessions:Dashboard:Enabled=false")
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!cases[@]}"; do
    name=${cases[$(( (i + round) % ${#cases[@]} ))]}
    # shellcheck disable=SC2086 # the arguments are words
    run_case "$name" "$round" ${args[$name]}
  done
done

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for name in "${cases[@]}"; do
  echo "$name $(awk -v n="$name" '$1==n {print $2}' "$WORK/summary" | median) $(awk -v n="$name" '$1==n {print $3}' "$WORK/summary" | median)"
done >"$WORK/medians"
awk 'NR==1 {s=$2; l=$3} NR>1 {printf "medians: all / %s: sign-on %.0f / %.0f = x%.3f, list %.0f / %.0f = x%.3f\n", $1, s, $2, s/$2, l, $3, l/$3}' "$WORK/medians"
