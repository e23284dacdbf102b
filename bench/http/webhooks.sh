#!/usr/bin/env bash
# What webhooks cost and how fast they arrive (docs/webhooks.md), one Release silo as shipped (durable SQLite):
# 1. Durable sign-ons with no webhook endpoint ("none") against the same with one endpoint subscribed to every event
#    type ("webhook", a receiver answering 204 at once), in rotating order in the same run, several rounds, medians;
#    for "webhook" also how long after the load the receiver had every event (the deliveries' drain).
# 2. From the 2xx of a revoke to its session.revoked at a receiver, p50/p99/max, while the silo takes RATE sign-ons a
#    second (open loop) and REVOKES revokes a second (bench/http/webhooks.mjs latency).
# Usage: [RATE=1000] [REVOKES=20] [SILO_ARGS="--Sessions:Sqlite:SyncToDisk=false"] bench/http/webhooks.sh [rounds] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
DURATION=${2:-20}
CONNECTIONS=${3:-32}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js 20 or later is required (the receiver)" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

source bench/common.sh

start_silo() { # name; sets SILO_PID and URL
  local port; port=$(free_port)
  # shellcheck disable=SC2086 # SILO_ARGS are words
  dotnet "$SILO" --urls "http://127.0.0.1:$port" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
    --Orleans:ClusterId="bench-$1" --Sessions:DataDirectory="$WORK/$1" --Sessions:Auth:BootstrapKey="$KEY" \
    --Sessions:Webhooks:AllowPrivateNetworks=true ${SILO_ARGS:-} >"$WORK/$1.log" 2>&1 &
  SILO_PID=$!
  URL="http://127.0.0.1:$port"
  wait_healthy "$URL"
}

register() { # receiver URL
  curl -sf -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
    -d "{\"url\":\"$1\"}" "$URL/v1/tenants/bench/webhooks" >/dev/null
}

wrk_ok() { # 2xx answers in a wrk output
  local total errors
  total=$(awk '/requests in/ {print $1}' "$1")
  errors=$(wrk_errors "$1")
  echo $((total - ${errors:-0}))
}

run_case() { # name, round
  local name=$1 round=$2 receiver="" drain="-"
  start_silo "$name-$round"
  if [[ $name == webhook ]]; then
    local rport; rport=$(free_port)
    PORT=$rport node bench/http/webhooks.mjs receive &
    receiver=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$rport/count" >/dev/null && break; sleep 0.1; done
    register "http://127.0.0.1:$rport/hooks"
  fi
  wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/signon.lua "$URL" >"$WORK/$name-$round.warm.txt"   # JIT, activations
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signon.lua "$URL" >"$WORK/$name-$round.txt"
  if [[ -n $receiver ]]; then
    local expected=$(( $(wrk_ok "$WORK/$name-$round.warm.txt") + $(wrk_ok "$WORK/$name-$round.txt") )) started=$SECONDS received=0
    while (( SECONDS - started < 120 )); do
      received=$(curl -sf "http://127.0.0.1:$rport/count" | sed 's/[^0-9]//g')
      (( received >= expected )) && break
      sleep 0.2
    done
    drain=$(( received >= expected ? SECONDS - started : -1 ))
    kill "$receiver"
  fi
  kill -TERM "$SILO_PID"; wait "$SILO_PID" || true
  printf '%-8s round %d  sign-on %9s req/s  p99 %8s  drained in %s s\n' "$name" "$round" \
    "$(wrk_rate "$WORK/$name-$round.txt")" "$(wrk_p99 "$WORK/$name-$round.txt")" "$drain"
  echo "$name $(wrk_rate "$WORK/$name-$round.txt")" >>"$WORK/summary"
}

echo "sign-ons: wrk -t2 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds on $(nproc) cores, $(date -u +%FT%TZ), ${SILO_ARGS:-as shipped}"
cases=(none webhook)
for round in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do run_case "${cases[$(( (i + round) % 2 ))]}" "$round"; done
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
none=$(awk '$1=="none" {print $2}' "$WORK/summary" | median)
webhook=$(awk '$1=="webhook" {print $2}' "$WORK/summary" | median)
awk -v n="$none" -v w="$webhook" 'BEGIN {printf "medians: webhook / none: sign-on %.0f / %.0f = x%.3f (target >= 0.8)\n", w, n, w / n}'

echo "revoke to webhook: ${RATE:-1000} sign-ons/s, ${REVOKES:-20} revokes/s, ${DURATION}s"
start_silo latency
# A first run warms the silo up (JIT, connections, the delivery's activation); the second is the measurement.
URL=$URL KEY=$KEY RATE=${RATE:-1000} REVOKES=${REVOKES:-20} DURATION=5 TENANT=warm-up node bench/http/webhooks.mjs latency >/dev/null
URL=$URL KEY=$KEY RATE=${RATE:-1000} REVOKES=${REVOKES:-20} DURATION=$DURATION node bench/http/webhooks.mjs latency
kill -TERM "$SILO_PID"; wait "$SILO_PID" || true
