#!/usr/bin/env bash
# Durable sign-ons/s with grain state on PostgreSQL (a silo with Sessions:Storage=Postgres, wrk on
# loopback), next to the ceiling of that storage path measured in the same run on the same server: plain
# Npgsql single-row upserts at the same concurrency (bench/PostgresUpsert), of the grain state's size and of one
# session record's size (SESSION_BYTES, the size GrainBench reports for a stored session; the issue's target).
# PostgreSQL runs with its durable defaults (fsync on). GRAIN_STORAGE picks the silo's grain storage (Sessions, the
# default, or AdoNet); WITH_UPSERTS=0 leaves the plain upserts out. Usage:
# [SESSION_BYTES=1058] [GRAIN_STORAGE=AdoNet] [WITH_UPSERTS=0] bench/cluster/run.sh [seconds] [connections]
# The last lines are for bench/run.sh: "pg <what> <per second> <p99 or bytes>".
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/postgres.sh
source bench/common.sh
DURATION=${1:-20}
CONNECTIONS=${2:-32}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
dotnet build -c Release bench/PostgresUpsert -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-bench-XXXXXX)
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; pg_stop; rm -rf "$WORK"; }
trap cleanup EXIT

pg_start
CS="$PG_CONNECTION;Database=postgres"
dotnet "$SILO" migrate --ConnectionStrings:Postgres="$CS" >/dev/null

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
DOTNET_ENVIRONMENT=Cluster dotnet "$SILO" --urls "$URL" --ConnectionStrings:Postgres="$CS" \
  --Orleans:ClusterId=bench --Orleans:AdvertisedIPAddress=127.0.0.1 --Orleans:SiloPort="$(free_port)" \
  --Orleans:GatewayPort="$(free_port)" --Sessions:Postgres:MaxPoolSize="$CONNECTIONS" \
  --Sessions:Postgres:GrainStorage="${GRAIN_STORAGE:-Sessions}" --Sessions:Auth:BootstrapKey="$KEY" >"$WORK/silo.log" 2>&1 &
SILO_PID=$!
wait_healthy "$URL"

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on $(nproc) cores, $(date -u +%FT%TZ)"
# Hot: 2 x 500 users, whose grains stay active after the warm-up, so a sign-on is one storage write.
USERS=500 wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/signon.lua "$URL" >/dev/null
USERS=500 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signon.lua "$URL" >"$WORK/signon.txt"
USERS=500 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/list.lua "$URL" >"$WORK/list.txt"
# Cold: 2 x 50,000 new users, so nearly every sign-on also activates its grain (one storage read more).
USERS=50000 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signon.lua "$URL" >"$WORK/signon-cold.txt"
kill -TERM "$SILO_PID"; wait "$SILO_PID" || true

printf 'sign-on, grain active   %8s req/s (p99 %s, non-2xx %s)\n' "$(wrk_rate "$WORK/signon.txt")" "$(wrk_p99 "$WORK/signon.txt")" "$(wrk_errors "$WORK/signon.txt")"
printf 'sign-on, new user       %8s req/s (p99 %s, non-2xx %s)\n' "$(wrk_rate "$WORK/signon-cold.txt")" "$(wrk_p99 "$WORK/signon-cold.txt")" "$(wrk_errors "$WORK/signon-cold.txt")"
printf 'list                    %8s req/s (p99 %s)\n' "$(wrk_rate "$WORK/list.txt")" "$(wrk_p99 "$WORK/list.txt")"
echo "pg signon $(wrk_rate "$WORK/signon.txt") $(wrk_p99 "$WORK/signon.txt")"
echo "pg signon-new-user $(wrk_rate "$WORK/signon-cold.txt") $(wrk_p99 "$WORK/signon-cold.txt")"
[[ ${WITH_UPSERTS:-1} == 0 ]] && exit 0
dotnet bench/PostgresUpsert/bin/Release/net10.0/PostgresUpsert.dll "$CS" "$CONNECTIONS" "$DURATION" auto >"$WORK/upsert.txt"
dotnet bench/PostgresUpsert/bin/Release/net10.0/PostgresUpsert.dll "$CS" "$CONNECTIONS" "$DURATION" "${SESSION_BYTES:-1058}" >"$WORK/upsert-session.txt"
UPSERTS=$(awk '{print $4}' "$WORK/upsert.txt" | tr -d '/s')
PAYLOAD=$(grep -o '[0-9]* B payload' "$WORK/upsert.txt" | awk '{print $1}')
SESSION_UPSERTS=$(awk '{print $4}' "$WORK/upsert-session.txt" | tr -d '/s')

cat "$WORK/upsert.txt" "$WORK/upsert-session.txt"
awk -v s="$(wrk_rate "$WORK/signon.txt")" -v u="$UPSERTS" -v p="$PAYLOAD" -v su="$SESSION_UPSERTS" -v sp="${SESSION_BYTES:-1058}" \
  'BEGIN { printf "sign-ons (grain active) / plain upserts (same server): %.2f against %d-byte rows (the state), %.2f against %d-byte rows (one session)\n", s / u, p, s / su, sp }'
echo "pg upsert-state $UPSERTS $PAYLOAD"
echo "pg upsert-session $SESSION_UPSERTS ${SESSION_BYTES:-1058}"
