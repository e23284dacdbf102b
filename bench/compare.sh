#!/usr/bin/env bash
# Before and after in the same run: builds two commits (Release) in temporary worktrees and alternates them,
# ROUNDS times each — durable sign-ons/s and GET-list requests/s with wrk, then the directory benchmark
# (list-all at 1,000,000 sessions) — and prints every run and the medians. The machine is shared and noisy:
# compare only figures of one run.
# Usage: bench/compare.sh BASE [HEAD=HEAD] [ROUNDS=3]   (EXTRA="--Sessions:Sqlite:SyncToDisk=false" leaves fsync out)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?usage: bench/compare.sh BASE [HEAD] [ROUNDS]}
HEAD_REF=${2:-HEAD}
ROUNDS=${3:-3}
command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
source bench/common.sh

WORK=$(mktemp -d -t orleans-sessions-compare-XXXXXX)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  git worktree remove --force "$WORK/before" 2>/dev/null || true
  git worktree remove --force "$WORK/after" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for side in before after; do
  ref=$([[ $side == before ]] && echo "$BASE" || echo "$HEAD_REF")
  git worktree add -q --detach "$WORK/$side" "$ref"
  (cd "$WORK/$side" && dotnet build -c Release src/Orleans.Sessions.Silo -v quiet -nologo >/dev/null && dotnet build -c Release bench/DirectoryBench -v quiet -nologo >/dev/null)
done

http_case() { # side round
  local silo="$WORK/$1/src/Orleans.Sessions.Silo/bin/Release/net10.0/Orleans.Sessions.Silo.dll"
  local data="$WORK/data-$1-$2" port; port=$(free_port)
  # shellcheck disable=SC2086
  dotnet "$silo" --environment Production --urls "http://127.0.0.1:$port" --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)" \
    --Orleans:ClusterId="compare-$1-$2" --Sessions:DataDirectory="$data" --Sessions:Auth:BootstrapKey="$KEY" ${EXTRA:-} >"$data.log" 2>&1 &
  local pid=$! url="http://127.0.0.1:$port"
  wait_healthy "$url"
  wrk -t2 -c32 -d5s -s bench/http/signon.lua "$url" >/dev/null
  wrk -t2 -c32 -d15s --latency -s bench/http/signon.lua "$url" >"$data.signon"
  wrk -t2 -c32 -d15s --latency -s bench/http/list.lua "$url" >"$data.list"
  kill -TERM "$pid"; wait "$pid" || true
  echo "$1 $(wrk_rate "$data.signon") $(wrk_rate "$data.list")" >>"$WORK/http"
  printf '%-6s round %s  sign-on %9s req/s (p99 %s)  list %9s req/s (p99 %s)\n' "$1" "$2" \
    "$(wrk_rate "$data.signon")" "$(wrk_p99 "$data.signon")" "$(wrk_rate "$data.list")" "$(wrk_p99 "$data.list")"
}

echo "$(git rev-parse --short "$BASE") (before) vs $(git rev-parse --short "$HEAD_REF") (after), $ROUNDS rounds, $(nproc) cores, $(date -u +%FT%TZ)"
for round in $(seq 1 "$ROUNDS"); do
  http_case before "$round"
  http_case after "$round"
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
column() { awk -v side="$1" -v col="$2" '$1 == side { print $col }' "$WORK/http" | median; }
sb=$(column before 2); sa=$(column after 2); lb=$(column before 3); la=$(column after 3)
awk -v sb="$sb" -v sa="$sa" -v lb="$lb" -v la="$la" \
  'BEGIN { printf "medians: sign-on %.0f -> %.0f (x%.2f), list %.0f -> %.0f (x%.2f)\n", sb, sa, sa / sb, lb, la, la / lb }'

for round in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    echo "=== directory, round $round: $side"
    (cd "$WORK/$side" && dotnet bench/DirectoryBench/bin/Release/net10.0/DirectoryBench.dll 100000 200 2>&1 | grep -E '^(loaded|directory|query|[a-z].* +[0-9.]+ +[0-9.]+)')
  done
done
