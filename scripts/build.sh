#!/usr/bin/env bash
# Configures and builds aihistory into build/ (tests included unless AIH_TESTS=OFF). Incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAIH_TESTS="${AIH_TESTS:-ON}" -DAIH_BENCH="${AIH_BENCH:-OFF}" >/dev/null
cmake --build build -j"$(nproc)" "$@"
