#!/usr/bin/env bash
# Whether device parsing and GeoIP limit sign-ons: durable sign-ons/s on one node without a GeoIP database (the
# baseline: the user agent is still parsed) and with the GeoIP2-City test database and an address it knows (every
# sign-on does a full lookup), in the same run. Usage: bench/http/enrichment.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
CONNECTIONS=${2:-32}
GEOIP=${GEOIP_DATABASE:-$(pwd)/tests/TestData/GeoIP2-City-Test.mmdb}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
[ -f "$GEOIP" ] || { echo "no GeoIP database at $GEOIP (set GEOIP_DATABASE)" >&2; exit 1; }

dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null
SILO=src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll
WORK=$(mktemp -d -t orleans-sessions-enrichment-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh

run_case() { # name, address, extra silo args...
  local name=$1 address=$2; shift 2
  local port; port=$(free_port)
  dotnet "$SILO" --urls "http://127.0.0.1:$port" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
    --Orleans:ClusterId="bench-$name" --Sessions:DataDirectory="$WORK/$name" --Sessions:Auth:BootstrapKey="$KEY" "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  local url="http://127.0.0.1:$port"
  wait_healthy "$url"
  IP=$address wrk -t2 -c"$CONNECTIONS" -d5s -s bench/http/signon.lua "$url" >/dev/null
  IP=$address wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/http/signon.lua "$url" >"$WORK/$name.txt"
  local city; city=$(curl -s "$url/v1/tenants/bench/users/t1-u1/sessions?limit=1" -H "Authorization: Bearer $KEY" | grep -o '"city":[^,]*' | head -n 1)
  kill -TERM "$pid"; wait "$pid" || true
  printf '%-22s sign-on %8s req/s (p99 %s, non-2xx %s)  first location %s\n' "$name" "$(wrk_rate "$WORK/$name.txt")" "$(wrk_p99 "$WORK/$name.txt")" "$(wrk_errors "$WORK/$name.txt")" "$city"
  echo "$name $(wrk_rate "$WORK/$name.txt")" >>"$WORK/summary"
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on $(nproc) cores, $(date -u +%FT%TZ)"
run_case no-geoip 81.2.69.142
run_case geoip 81.2.69.142 --Sessions:GeoIp:DatabasePath="$GEOIP"
run_case no-geoip-again 81.2.69.142
awk '{r[$1]=$2} END { printf "with GeoIP / without (mean of the two baseline runs): x%.2f\n", r["geoip"] / ((r["no-geoip"] + r["no-geoip-again"]) / 2) }' "$WORK/summary"
