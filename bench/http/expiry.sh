#!/usr/bin/env bash
# What session.expired costs (docs/events.md, "Expiry"), one Release silo as shipped (durable SQLite): USERS users sign
# on once each with an idle timeout of IDLE seconds and do nothing more; the directory's expiry queue notices each
# expiry (no timer per session, no user grain kept active to wait) and the user grain stores it with its event.
# Says how long after each expiry its event could be read from the feed (p50/p99/max), the silo's resident memory
# before and after the sign-ons, and the CPU the silo spent from the end of the sign-ons to the last event.
# Usage: bench/http/expiry.sh [users] [idle seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${1:-100000}
IDLE=${2:-120}
command -v node >/dev/null || { echo "Node.js 20 or later is required (the load and the feed reader)" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh

port=$(free_port)
dotnet "$SILO" --urls "http://127.0.0.1:$port" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
  --Orleans:ClusterId=bench-expiry --Sessions:DataDirectory="$WORK/data" --Sessions:Auth:BootstrapKey="$KEY" >"$WORK/silo.log" 2>&1 &
silo=$!
URL="http://127.0.0.1:$port"
wait_healthy "$URL"

rss() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$silo/status"; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$silo/stat"; }

echo "expiry: $USERS users, idle timeout ${IDLE}s, $(nproc) cores, $(date -u +%FT%TZ)"
before=$(rss)
URL=$URL KEY=$KEY USERS=$USERS IDLE=$IDLE node bench/http/expiry.mjs sign-on
after=$(rss)
cpu0=$(cpu_seconds)
URL=$URL KEY=$KEY USERS=$USERS node bench/http/expiry.mjs watch
cpu1=$(cpu_seconds)
echo "resident: ${before} MiB before the sign-ons, ${after} MiB after; silo CPU from the sign-ons' end to the last event: $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {print b - a}') s"
kill -TERM "$silo"; wait "$silo" || true
