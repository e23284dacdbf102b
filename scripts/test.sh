#!/usr/bin/env bash
# Runs every test of the solution. The cluster tests need PostgreSQL: this starts a throwaway server
# (binaries from PATH or /usr/lib/postgresql/*/bin) on a free loopback port, exports its connection
# string as SESSIONS_TEST_POSTGRES, and removes it afterwards. The official-client contract tests and the
# deployment-file validators need node and the npm packages of tests/clients (installed with `npm ci` when
# missing or older than the lock file). The console's browser tests need Chromium (SESSIONS_TEST_CHROMIUM, or
# Debian's package where it installs). Extra arguments go
# to `dotnet test`.
# TEST_RESULTS_DIR (default artifacts/test-results) receives one <project>.trx per test project.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh

# The contract tests run the vendors' published clients with node, and the deployment-file tests its validators
# (tests/clients): install them on a fresh clone, and again when the lock file is newer than what is installed.
if [[ ! -d tests/clients/node_modules || tests/clients/package-lock.json -nt tests/clients/node_modules/.package-lock.json ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20 or later and npm are required: the contract tests run the vendors' clients (tests/clients)." >&2
    exit 1
  fi
  npm ci --prefix tests/clients --no-audit --no-fund
fi

# The console's browser tests drive Chromium (Debian's package; Playwright's own downloads are not used).
if [[ -z "${SESSIONS_TEST_CHROMIUM:-}" ]]; then
  for candidate in /usr/lib/chromium/chromium "$(command -v chromium 2>/dev/null)" "$(command -v chromium-browser 2>/dev/null)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      export SESSIONS_TEST_CHROMIUM="$candidate"
      break
    fi
  done
fi
if [[ -z "${SESSIONS_TEST_CHROMIUM:-}" ]]; then
  echo "The console tests need Chromium: on Debian 'apt-get install chromium fonts-liberation', or set SESSIONS_TEST_CHROMIUM." >&2
  exit 1
fi

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
