#!/usr/bin/env bash
# What authentication costs a request: GET a user's session list with an API key, with the bootstrap key,
# and GET /v1/me/sessions with the user's own session token (checked against the user grain, success reused
# for Sessions:Auth:SessionTokenCacheDuration), on the same single node in the same run; a second node with
# the token cache off shows the cost of one grain call per request. Usage: bench/http/auth.sh [seconds] [connections] [users]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-15}
CONNECTIONS=${2:-32}
USERS=${3:-200}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-auth-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh

READER_SECRET=bench-reader-secret-0001
READER_HASH="sha256:$(printf '%s' "$READER_SECRET" | sha256sum | cut -d' ' -f1)"

start_node() { # name, extra args... ; sets URL and PID
  local name=$1; shift
  local port; port=$(free_port)
  dotnet "$SILO" --urls "http://127.0.0.1:$port" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
    --Orleans:ClusterId="bench-$name" --Sessions:DataDirectory="$WORK/$name" --Sessions:Auth:BootstrapKey="$KEY" \
    --Sessions:Auth:Keys:0:Name=bench-reader --Sessions:Auth:Keys:0:Tenant=bench --Sessions:Auth:Keys:0:SecretHash="$READER_HASH" \
    --Sessions:Auth:Keys:0:Roles:0=sessions:read --Sessions:Auth:Keys:0:Roles:1=sessions:write "$@" >"$WORK/$name.log" 2>&1 &
  PID=$!
  URL="http://127.0.0.1:$port"
  wait_healthy "$URL"
  : >"$WORK/$name.tokens"
  for i in $(seq 0 $((USERS - 1))); do
    # One token a line (the answer ends without a newline, so printf adds it).
    printf '%s\n' "$(curl -sf -X POST "$URL/v1/tenants/bench/users/u$i/sessions" -H "Authorization: Bearer $KEY" \
      -H 'Content-Type: application/json' -d '{"ip":"203.0.113.7","userAgent":"bench","authMethod":"password"}' \
      | sed -E 's/.*"token":"([^"]+)".*/\1/')" >>"$WORK/$name.tokens"
  done
  TOKENS="$WORK/$name.tokens"
}

run() { # label, env assignments for list-auth.lua...
  local label=$1; shift
  env "$@" USERS="$USERS" TOKENS="$TOKENS" wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/list-auth.lua "$URL" >/dev/null
  env "$@" USERS="$USERS" TOKENS="$TOKENS" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/list-auth.lua "$URL" >"$WORK/$label.txt"
  printf '%-28s %9s req/s (p99 %s, non-2xx %s)\n' "$label" "$(wrk_rate "$WORK/$label.txt")" "$(wrk_p99 "$WORK/$label.txt")" "$(wrk_errors "$WORK/$label.txt")"
  echo "$label $(wrk_rate "$WORK/$label.txt")" >>"$WORK/summary"
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on $(nproc) cores, $USERS users with one session each, $(date -u +%FT%TZ)"
start_node cached
run bootstrap-key MODE=key SECRET="$KEY"
run api-key MODE=key SECRET="$READER_SECRET"
run session-token MODE=token
run bootstrap-key-again MODE=key SECRET="$KEY"
kill -TERM "$PID"; wait "$PID" || true

start_node uncached --Sessions:Auth:SessionTokenCacheDuration=00:00:00
run bootstrap-key-uncached-node MODE=key SECRET="$KEY"
run session-token-no-cache MODE=token
kill -TERM "$PID"; wait "$PID" || true

awk '{r[$1]=$2} END {
  b=(r["bootstrap-key"]+r["bootstrap-key-again"])/2
  printf "api key / bootstrap key: x%.2f; session token (cached) / bootstrap key: x%.2f\n", r["api-key"]/b, r["session-token"]/b
  printf "session token without cache / bootstrap key (same node): x%.2f\n", r["session-token-no-cache"]/r["bootstrap-key-uncached-node"] }' "$WORK/summary"
