#!/usr/bin/env bash
# The soak (bench/README.md, "Soak"): one node as shipped (durable SQLite) under the realistic mix (70 % activity, 20 %
# list, 8 % sign-on, 2 % revoke) at SHARE % of the capacity it measures first, for MINUTES. Every 10 s it writes one
# row — achieved req/s, p50 and p99 of those 10 s, errors, resident memory, open handles, threads, and the runtime's
# gen-2 collections and GC pause time in those 10 s (from /metrics) — to
# bench/results/soak-<date>-<commit>.csv, then plots them (gnuplot) to a PNG beside it and writes the slope per hour of
# memory and p99 (least squares over the run after its first tenth) to a Markdown file. Not run in CI: it takes the
# machine for half an hour.
# IDLE_TIMEOUT (the node's Sessions:DefaultIdleTimeout, default 00:10:00) makes the mix's sign-ons, which see no
# activity, expire within the run, so that most of it runs with expiries at the rate of sign-ons.
# SILO_ARGS are more arguments for the node (settings to compare, e.g. --Sessions:Overload:MaxConcurrentRequests=64);
# the runtime's DOTNET_* variables reach it too (e.g. DOTNET_GCConserveMemory=0).
# Usage: [MINUTES=30] [SHARE=70] [CONNECTIONS=32] [IDLE_TIMEOUT=00:10:00] [SILO_ARGS=...] bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-30}
SHARE=${SHARE:-70}
CONNECTIONS=${CONNECTIONS:-32}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-00:10:00}
export CONNECTIONS

for tool in wrk:wrk gnuplot:gnuplot-nox; do
  command -v "${tool%%:*}" >/dev/null && continue
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get install -y -q "${tool#*:}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${tool#*:}" >/dev/null; }
  else
    echo "${tool%%:*} is required: sudo apt-get install -y ${tool#*:}" >&2
    exit 1
  fi
done
command -v node >/dev/null || { echo "Node.js 20 or later is required (bench/http/seed.mjs)" >&2; exit 1; }

echo "building Release…"
dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-soak-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh

port=$(free_port)
URL="http://127.0.0.1:$port"
dotnet "$SILO" --urls "$URL" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" --Orleans:ClusterId=soak \
  --Sessions:DataDirectory="$WORK/data" --Sessions:Auth:BootstrapKey="$KEY" --Sessions:DefaultIdleTimeout="$IDLE_TIMEOUT" ${SILO_ARGS:-} >"$WORK/service.log" 2>&1 &
PID=$!
wait_healthy "$URL"
URL=$URL KEY=$KEY USERS=1000 PER_USER=10 OUT="$WORK/seed" node bench/http/seed.mjs

# Capacity: the mix as fast as answers come, after a warm-up.
SCENARIO=mix SEED="$WORK/seed" wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/scenario.lua "$URL" >/dev/null
SCENARIO=mix SEED="$WORK/seed" wrk -t2 -c"$CONNECTIONS" -d20s -s bench/http/scenario.lua "$URL" >"$WORK/capacity.txt"
capacity=$(wrk_rate "$WORK/capacity.txt")
rate=$(awk -v c="$capacity" -v s="$SHARE" 'BEGIN { printf "%d", c * s / 100 }')
echo "capacity ${capacity} req/s; soaking at ${rate} req/s (${SHARE} %) for ${MINUTES} min"

NAME="soak-$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD)"
CSV="bench/results/$NAME.csv"
# The runtime's gen-2 collections so far and its GC pause time so far (seconds), from the node's /metrics.
gc_totals() {
  curl -sf "$URL/metrics" | awk '/^dotnet_gc_collections_total\{.*gen2/ { g = $NF } /^dotnet_gc_pause_time_seconds_total/ { p = $NF } END { print g + 0, p + 0 }'
}
echo "seconds,requests_per_s,p50_ms,p99_ms,errors,rss_mb,handles,threads,gen2_collections,gc_pause_ms" >"$CSV"
start=$(date +%s)
end=$((start + MINUTES * 60))
while (($(date +%s) < end)); do
  read -r gen2_before pause_before < <(gc_totals)
  segment=$((${segment:-0} + 1))
  SALT=$segment RATE=$rate SCENARIO=mix SEED="$WORK/seed" wrk -t2 -c"$CONNECTIONS" -d10s --latency -s bench/http/scenario.lua "$URL" >"$WORK/segment.txt"
  errors=$(wrk_errors "$WORK/segment.txt"); socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$WORK/segment.txt")
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$PID/status")
  threads=$(awk '/^Threads/ {print $2}' "/proc/$PID/status")
  handles=$(find "/proc/$PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
  read -r gen2_after pause_after < <(gc_totals)
  printf '%d,%s,%s,%s,%d,%s,%d,%d,%d,%s\n' $(($(date +%s) - start)) "$(wrk_rate "$WORK/segment.txt")" \
    "$(ms "$(awk '/ 50%/ {print $2}' "$WORK/segment.txt")")" "$(ms "$(wrk_p99 "$WORK/segment.txt")")" \
    $(( ${errors:-0} + ${socket:-0} )) "$rss" "$handles" "$threads" $((gen2_after - gen2_before)) \
    "$(awk -v a="$pause_after" -v b="$pause_before" 'BEGIN { printf "%.1f", (a - b) * 1000 }')" >>"$CSV"
  tail -n 1 "$CSV"
done

gnuplot <<PLOT
set terminal pngcairo size 1200,900
set output "bench/results/$NAME.png"
set datafile separator ","
set key autotitle columnhead
set xlabel "minutes"
set multiplot layout 3,1 title "Soak: mix at ${rate} req/s (${SHARE} % of ${capacity}), one node, durable SQLite"
set ylabel "MB / req/s (÷100)"
plot "$CSV" using (\$1/60):6 with lines title "resident MB", "" using (\$1/60):(\$2/100) with lines title "req/s ÷ 100"
set ylabel "ms"
plot "$CSV" using (\$1/60):4 with lines title "p99 ms", "" using (\$1/60):3 with lines title "p50 ms", "" using (\$1/60):10 with impulses title "GC pause ms in the 10 s"
set ylabel "count"
plot "$CSV" using (\$1/60):7 with lines title "handles", "" using (\$1/60):8 with lines title "threads", "" using (\$1/60):5 with impulses title "errors"
unset multiplot
PLOT

# Least-squares slope per hour of a column over the rows after the first tenth of the run (start-up and warm caches).
slope() {
  awk -F, -v col="$1" 'NR > 1 { n++; x[n] = $1 / 3600; y[n] = $col }
    END { skip = int(n / 10); for (i = skip + 1; i <= n; i++) { m++; sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i] }
          printf "%.2f", (m * sxy - sx * sy) / (m * sxx - sx * sx) }' "$CSV"
}
{
  echo "# Soak $NAME"
  echo
  echo "The mix at $rate req/s ($SHARE % of the $capacity req/s measured first) for $MINUTES min, $CONNECTIONS connections, one node, durable SQLite; one row every 10 s: \`$CSV\`, plotted in \`bench/results/$NAME.png\`."
  echo
  echo "| figure | first row | last row | slope per hour (after the first tenth) |"
  echo "| --- | --- | --- | --- |"
  for c in 6:"resident MB" 4:"p99 ms" 7:handles 8:threads 2:"req/s"; do
    printf '| %s | %s | %s | %s |\n' "${c#*:}" "$(awk -F, -v col="${c%%:*}" 'NR == 2 {print $col}' "$CSV")" \
      "$(tail -n 1 "$CSV" | cut -d, -f"${c%%:*}")" "$(slope "${c%%:*}")"
  done
  echo
  echo "Errors over the run: $(awk -F, 'NR > 1 { s += $5 } END { print s + 0 }' "$CSV"). Gen-2 collections: $(awk -F, 'NR > 1 { s += $9 } END { print s + 0 }' "$CSV"); GC pause time: $(awk -F, 'NR > 1 { s += $10; if ($10 > m) m = $10 } END { printf "%.0f ms in all, at most %.0f ms in one 10-s row", s, m }' "$CSV")."
} >"bench/results/$NAME.md"
cat "bench/results/$NAME.md"
