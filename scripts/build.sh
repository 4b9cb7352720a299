#!/usr/bin/env bash
# Configures and builds aihistory into build/ (tests included unless AIH_TESTS=OFF). Incremental.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
# -g1 (line tables: backtraces and gdb's file:line) instead of -g: full debug information doubled the
# compile time of the Beast files (url_fetch.cc: 61 s of CPU with -g, 33 s with -g1, 34 s without).
# AIH_UNITY_BUILD (default ON): the modules' small files compiled in batches (CMakeLists.txt), a third
# less CPU cold; but the batches are optimised less well (an export costs about 20% more server CPU),
# so scripts/bench.sh and the package build without it.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DAIH_UNITY_BUILD="${AIH_UNITY_BUILD:-ON}" -DAIH_TESTS="${AIH_TESTS:-ON}" -DAIH_BENCH="${AIH_BENCH:-OFF}" >/dev/null
cmake --build build -j"$(nproc)" "$@"
