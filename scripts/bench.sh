#!/usr/bin/env bash
# Builds and runs the benchmark (bench/aihistory_bench.cc); prints the table of docs/benchmarks.md.
#   scripts/bench.sh                 SQLite (the default store)
#   scripts/bench.sh --postgres      PostgreSQL: a throwaway PostgreSQL 15 cluster is started for the
#                                    run (and removed after), with one and two servers over it
# Other arguments are passed on, e.g. scripts/bench.sh --export-items 100000 for a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
AIH_TESTS=OFF AIH_BENCH=ON AIH_UNITY_BUILD=OFF scripts/build.sh --target aihistory_bench >/dev/null

args=()
postgres=0
for a in "$@"; do
  if [ "$a" = --postgres ]; then postgres=1; else args+=("$a"); fi
done
if [ "$postgres" = 1 ]; then
  export AIH_PG_DIR="${TMPDIR:-/tmp}/aih-pg-bench"
  url=$(scripts/postgres-test-cluster.sh start)
  trap 'scripts/postgres-test-cluster.sh stop >/dev/null 2>&1 || true' EXIT
  ./build/bench/aihistory_bench --postgres "$url" "${args[@]}"
else
  ./build/bench/aihistory_bench "${args[@]}"
fi
