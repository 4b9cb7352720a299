#!/usr/bin/env bash
# Builds and runs the benchmark (bench/aihistory_bench.cc); prints the table of docs/benchmarks.md.
# Arguments are passed on, e.g. scripts/bench.sh --export-items 100000 for a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
AIH_TESTS=OFF AIH_BENCH=ON scripts/build.sh --target aihistory_bench >/dev/null
exec ./build/bench/aihistory_bench "$@"
