#!/usr/bin/env bash
# What webhooks cost and how fast they arrive (docs/webhooks.md), one Release silo as shipped (durable SQLite):
# 1. Durable sign-ons with no webhook endpoint ("none") against the same with one endpoint subscribed to every event
#    type ("webhook", a receiver answering 204 at once), in rotating order in the same run, several rounds, medians;
#    for "webhook" also how long after the load the receiver had every event stored (the deliveries' drain), counted
#    by the service's sessions_events_total.
#    With the silo's CPU per sign-on in each case: the receiver shares the machine's cores here, which it would not
#    in production.
# 2. The silo's own cost of a delivery: sign-ons while the endpoint is disabled, then enabled — how fast the backlog
#    drains and the silo CPU per delivered event (against its CPU per sign-on, the throughput a silo would keep with its
#    receivers elsewhere).
# 3. From the 2xx of a revoke to its session.revoked at a receiver, p50/p99/max, while the silo takes RATE sign-ons a
#    second (open loop) and REVOKES revokes a second (bench/http/webhooks.mjs latency).
# 4. The same to the arrival of its back-channel logout token at a relying party (docs/backchannel-logout.md), of its
#    session-revoked SET pushed to a Shared Signals stream, and of that SET in the answer to a long poll of a poll
#    stream (docs/shared-signals.md); RECEIVERS="backchannel ssf_poll" picks some.
# Usage: [RATE=1000] [REVOKES=20] [RECEIVERS=…] [LATENCY_ONLY=1] [SILO_ARGS="--Sessions:Sqlite:SyncToDisk=false"] bench/http/webhooks.sh [rounds] [seconds] [connections]
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

register() { # receiver URL, enabled (true/false); prints the endpoint's id
  curl -sf -X POST -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
    -d "{\"url\":\"$1\",\"enabled\":${2:-true}}" "$URL/v1/tenants/bench/webhooks" | sed 's/.*"id":"\([^"]*\)".*/\1/'
}

start_receiver() { # sets RECEIVER_PID and RECEIVER_URL
  local rport; rport=$(free_port)
  PORT=$rport node bench/http/webhooks.mjs receive &
  RECEIVER_PID=$!
  RECEIVER_URL="http://127.0.0.1:$rport"
  for _ in $(seq 1 50); do curl -sf "$RECEIVER_URL/count" >/dev/null && return 0; sleep 0.1; done
  echo "the receiver did not start" >&2
  return 1
}

received() { curl -sf "$RECEIVER_URL/count" | sed 's/.*"received":\([0-9]*\).*/\1/'; }

wait_received() { # count, seconds; prints the seconds it took, or -1
  local started=$SECONDS
  while (( SECONDS - started < $2 )); do
    (( $(received) >= $1 )) && { echo $(( SECONDS - started )); return 0; }
    sleep 0.05
  done
  echo -1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

events_stored() { curl -sf "$URL/metrics" | awk '/^sessions_events_total/ {s += $NF} END {printf "%d", s}'; }

wrk_ok() { # 2xx answers in a wrk output
  local total errors
  total=$(awk '/requests in/ {print $1}' "$1")
  errors=$(wrk_errors "$1")
  echo $((total - ${errors:-0}))
}

run_case() { # name, round
  local name=$1 round=$2 drain="-"
  start_silo "$name-$round"
  if [[ $name == webhook ]]; then
    start_receiver
    register "$RECEIVER_URL/hooks" >/dev/null
  fi
  wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/signon.lua "$URL" >"$WORK/$name-$round.warm.txt"   # JIT, activations
  local before; before=$(cpu_ticks "$SILO_PID")
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signon.lua "$URL" >"$WORK/$name-$round.txt"
  local ok; ok=$(wrk_ok "$WORK/$name-$round.txt")
  if [[ $name == webhook ]]; then
    drain=$(wait_received "$(events_stored)" 120)   # every event stored (sign-ons, and evictions from full rings)
    kill "$RECEIVER_PID"
  fi
  local cpu=$(( $(cpu_ticks "$SILO_PID") - before ))   # with the deliveries the sign-ons caused
  kill -TERM "$SILO_PID"; wait "$SILO_PID" || true
  local us; us=$(awk -v c="$cpu" -v n="$ok" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", c / hz * 1e6 / n}')
  printf '%-8s round %d  sign-on %9s req/s  p99 %8s  silo CPU %4s us/sign-on (deliveries included)  receiver caught up %s s after\n' "$name" "$round" \
    "$(wrk_rate "$WORK/$name-$round.txt")" "$(wrk_p99 "$WORK/$name-$round.txt")" "$us" "$drain"
  echo "$name $(wrk_rate "$WORK/$name-$round.txt") $us" >>"$WORK/summary"
}

if [[ ${LATENCY_ONLY:-0} != 1 ]]; then # LATENCY_ONLY=1: part 4 alone
echo "sign-ons: wrk -t2 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds on $(nproc) cores, $(date -u +%FT%TZ), ${SILO_ARGS:-as shipped}"
cases=(none webhook)
for round in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do run_case "${cases[$(( (i + round) % 2 ))]}" "$round"; done
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
none=$(awk '$1=="none" {print $2}' "$WORK/summary" | median)
webhook=$(awk '$1=="webhook" {print $2}' "$WORK/summary" | median)
awk -v n="$none" -v w="$webhook" 'BEGIN {printf "medians: webhook / none: sign-on %.0f / %.0f = x%.3f (target >= 0.8)\n", w, n, w / n}'
sign_on_us=$(awk '$1=="none" {print $3}' "$WORK/summary" | median)

echo "drain: sign-ons for ${DURATION}s with the endpoint disabled, then enabled (after a warm-up with it enabled)"
start_silo drain
start_receiver
endpoint=$(register "$RECEIVER_URL/hooks")
enable() { curl -sf -X PATCH -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d "{\"enabled\":$1}" "$URL/v1/tenants/bench/webhooks/$endpoint" >/dev/null; }
wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/signon.lua "$URL" >/dev/null
warm=$(events_stored)
[[ $(wait_received "$warm" 120) -ge 0 ]] || { echo "the warm-up was not delivered" >&2; exit 1; }
enable false
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/http/signon.lua "$URL" >/dev/null
stored=$(events_stored)
backlog=$(( stored - warm ))
before=$(cpu_ticks "$SILO_PID")
started=$(date +%s.%N)
enable true
[[ $(wait_received "$stored" 300) -ge 0 ]] || { echo "the backlog did not drain" >&2; exit 1; }
awk -v n="$backlog" -v s="$started" -v e="$(date +%s.%N)" -v c=$(( $(cpu_ticks "$SILO_PID") - before )) -v hz="$(getconf CLK_TCK)" -v sign="$sign_on_us" \
  'BEGIN {d = c / hz * 1e6 / n; printf "%d events delivered in %.1f s (%.0f/s); silo CPU %.0f us per delivery against %.0f us per sign-on: x%.3f with receivers elsewhere\n", n, e - s, n / (e - s), d, sign, sign / (sign + d)}'
kill "$RECEIVER_PID"; kill -TERM "$SILO_PID"; wait "$SILO_PID" || true

fi

for receiver in ${RECEIVERS:-webhook backchannel ssf_push ssf_poll}; do
  echo "revoke to $receiver: ${RATE:-1000} sign-ons/s, ${REVOKES:-20} revokes/s, ${DURATION}s"
  start_silo "latency-$receiver"
  # A first run warms the silo up (JIT, connections, the delivery's activation, a key); the second is the measurement.
  URL=$URL KEY=$KEY RATE=${RATE:-1000} REVOKES=${REVOKES:-20} DURATION=5 TENANT=warm-up RECEIVER=$receiver node bench/http/webhooks.mjs latency >/dev/null
  URL=$URL KEY=$KEY RATE=${RATE:-1000} REVOKES=${REVOKES:-20} DURATION=$DURATION RECEIVER=$receiver node bench/http/webhooks.mjs latency
  kill -TERM "$SILO_PID"; wait "$SILO_PID" || true
done
