#!/usr/bin/env bash
# Runs every test of the solution. The cluster tests need PostgreSQL: this starts a throwaway server
# (binaries from PATH or /usr/lib/postgresql/*/bin) on a free loopback port, exports its connection
# string as SESSIONS_TEST_POSTGRES, and removes it afterwards. Extra arguments go to `dotnet test`.
# TEST_RESULTS_DIR (default artifacts/test-results) receives one <project>.trx per test project.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh

trap pg_stop EXIT
# The tests never crash the database server itself, so it need not fsync.
pg_start -c fsync=off
export SESSIONS_TEST_POSTGRES="$PG_CONNECTION;Maximum Pool Size=20"

RESULTS=${TEST_RESULTS_DIR:-artifacts/test-results}
mkdir -p "$RESULTS"
dotnet build Orleans.Sessions.sln

# One project at a time: each gets the machine's two cores and a result file named after it.
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" "$@" || status=1
done
exit $status
