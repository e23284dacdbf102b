#!/usr/bin/env bash
# Overload at ten times the capacity (docs/operations.md, "Overload"): one Release node as shipped (durable SQLite, its
# default bound of 256 requests at once and 256 waiting). First its capacity for durable sign-ons (wrk, 256 connections —
# as many as it works on at once — 10 s after a 5 s warm-up, none refused); then FACTOR (10) times that rate offered over
# CONNECTIONS (10,000) connections for DURATION (15) seconds,
# each connection paced to one sign-on every CONNECTIONS / rate seconds — refusals come back at once, so the offered
# rate stays near the aim however much the node refuses. Says the rate offered and accepted, the share refused and
# whether each refusal had Retry-After, any other status, the p99 of accepted sign-ons as the node timed them (its
# http.server.request.duration histogram, so the generator's own queue on these shared cores does not count) and of
# every answer as wrk timed it, resident memory before and at its peak, and how long after the load the node answered
# ten lists in a row at its idle speed.
# Usage: [FACTOR=10] [CONNECTIONS=10000] [DURATION=15] bench/http/overload.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
FACTOR=${FACTOR:-10}
CONNECTIONS=${CONNECTIONS:-10000}
DURATION=${DURATION:-15}
command -v wrk >/dev/null || { echo "wrk is required: sudo apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh
ulimit -n 65536 2>/dev/null || true

port=$(free_port)
URL="http://127.0.0.1:$port"
dotnet "$SILO" --urls "$URL" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Orleans:ClusterId=bench-overload \
  --Sessions:DataDirectory="$WORK/data" --Sessions:Auth:BootstrapKey="$KEY" >"$WORK/silo.log" 2>&1 &
silo=$!
wait_healthy "$URL"

# The server's own timing of sign-ons answered 201: its histogram's buckets summed over routes, as "le count" lines.
created_buckets() {
  curl -sf "$URL/metrics" | awk '/^http_server_request_duration_seconds_bucket\{/ && /http_response_status_code="201"/ {
      match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5); n[le] += $NF } END { for (le in n) print le, n[le] }' | sort -g
}
# The p99 (ms) of the sign-ons between two bucket snapshots: the smallest bound holding 99 % of them.
p99_between() {
  join <(sed 's/+Inf/1e9/' "$1" | sort -k1,1) <(sed 's/+Inf/1e9/' "$2" | sort -k1,1) | sort -g |
    awk '{ d[NR] = $3 - $2; le[NR] = $1 } END { total = d[NR]; for (i = 1; i <= NR; i++) if (d[i] >= 0.99 * total) { printf "%g", le[i] * 1000; exit } }'
}
rss() { awk -v f="$1" '$1 == f ":" {printf "%.0f", $2 / 1024}' "/proc/$silo/status"; }

echo "overload: sign-ons at ${FACTOR}x capacity over $CONNECTIONS connections, $(nproc) cores, $(date -u +%FT%TZ)"
wrk -t2 -c256 -d5s -s bench/http/overload.lua "$URL" >/dev/null
wrk -t2 -c256 -d10s -s bench/http/overload.lua "$URL" >"$WORK/capacity.txt"
grep -q "other 0" "$WORK/capacity.txt" && grep -q "refused 0 " "$WORK/capacity.txt" || { echo "the capacity run was refused or failed:" >&2; cat "$WORK/capacity.txt" >&2; exit 1; }
capacity=$(wrk_rate "$WORK/capacity.txt")
rate=$(awk -v c="$capacity" -v f="$FACTOR" 'BEGIN { printf "%d", c * f }')
before=$(rss VmRSS)
created_buckets >"$WORK/buckets-before"
RATE=$rate CONNECTIONS=$CONNECTIONS wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/overload.lua "$URL" >"$WORK/overload.txt"
created_buckets >"$WORK/buckets-after"

# Recovery: ten lists in a row at no more than four times the idle node's median (plus 20 ms), timed from the load's end.
list() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $KEY" "$URL/v1/tenants/overload/users/w1-u1/sessions"; }
start=$(date +%s.%N)
in_a_row=0
while ((in_a_row < 10)); do
  read -r code seconds < <(list)
  if [[ $code == 200 ]] && awk -v s="$seconds" 'BEGIN { exit !(s < 0.025) }'; then in_a_row=$((in_a_row + 1)); else in_a_row=0; fi
  awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s > 60) }' && { echo "no recovery within 60 s" >&2; exit 1; }
done
recovered=$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { printf "%.2f", n - s }')

read -r _ created _ refused _ retry _ other < <(grep '^statuses:' "$WORK/overload.txt" | cut -d' ' -f2-)
total=$((created + refused + other))
echo "capacity: $capacity sign-ons/s (256 connections, as many as the node works on; none refused); offered at $rate/s"
awk -v t="$total" -v c="$created" -v r="$refused" -v ra="$retry" -v o="$other" -v s="$DURATION" -v cap="$capacity" 'BEGIN {
  printf "answered %.0f/s (%.1fx capacity): accepted %.0f/s, refused %.1f %% (%d of %d with Retry-After), other statuses %d\n",
    t / s, t / s / cap, c / s, 100 * r / t, ra, r, o }'
echo "p99 of accepted sign-ons as the node timed them: $(p99_between "$WORK/buckets-before" "$WORK/buckets-after") ms (a histogram bound); wrk, all answers: p50 $(ms "$(awk '/ 50%/ {print $2}' "$WORK/overload.txt")") ms, p99 $(ms "$(wrk_p99 "$WORK/overload.txt")") ms; socket errors: $(awk '/Socket errors/' "$WORK/overload.txt" | tr -s ' ' || echo none)"
echo "resident: $before MiB before, peak $(rss VmHWM) MiB; recovered $recovered s after the load"
kill -TERM "$silo"; wait "$silo" || true
