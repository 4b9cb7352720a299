#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what it needs (idempotent), builds,
# and runs with ctest the unit tests and the store, API and integration tests (each on SQLite and on
# a throwaway PostgreSQL), every shell example of README.md and docs/*.md (ctest docs_examples), the
# libFuzzer targets for a bounded time, and the compatibility suite with Microsoft's own Graph clients
# (Node). Ends with one summary line: "summary: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
set -e
scripts/install-deps.sh
scripts/build.sh
set +e

passed=0; failed=0
pg_url=$(scripts/postgres-test-cluster.sh start)
if [ -n "$pg_url" ]; then
  export AIH_TEST_POSTGRES_URL="$pg_url"
  trap 'scripts/postgres-test-cluster.sh stop >/dev/null 2>&1 || true' EXIT
else
  echo "could not start the PostgreSQL test cluster: the PostgreSQL suite cannot run" >&2
  failed=$((failed + 1))
fi

log=$(mktemp)
(cd build && ctest -j"$(( $(nproc) + 1 ))" --output-on-failure --timeout 900) 2>&1 | tee "$log"
if line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log"); then
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.* ([0-9]+) tests failed.*/\1/' <<<"$line")
  passed=$((passed + total - bad)); failed=$((failed + bad))
else
  failed=$((failed + 1))
fi

if scripts/fuzz.sh "${AIH_FUZZ_SECONDS:-60}"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

if [ -x scripts/compat-test.sh ]; then
  scripts/compat-test.sh 2>&1 | tee "$log"
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  if [ -z "$p" ]; then failed=$((failed + 1)); else passed=$((passed + p)); failed=$((failed + ${f:-0})); fi
fi
rm -f "$log"

echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
