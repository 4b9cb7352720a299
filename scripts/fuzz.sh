#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with ASan and UBSan) and runs each for a bounded time,
# starting from the seed corpus in tests/fuzz/corpus/<name>/. Usage: scripts/fuzz.sh [seconds each]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAIH_FUZZ=ON -DAIH_TESTS=OFF >/dev/null
targets=()
for f in tests/fuzz/*_fuzzer.cc; do targets+=("$(basename "$f" .cc)"); done
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null
failed=0
for t in "${targets[@]}"; do
  corpus=$(mktemp -d)
  seeds="tests/fuzz/corpus/${t%_fuzzer}"
  [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
  echo "fuzzing $t for ${seconds}s"
  if ./build-fuzz/"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
       -artifact_prefix="build-fuzz/$t-" "$corpus" > "build-fuzz/$t.log" 2>&1; then
    echo "fuzz: $t: no crash ($(grep -c '^#' "build-fuzz/$t.log" || true) progress lines)"
  else
    echo "fuzz: $t FAILED: see build-fuzz/$t.log and the artifact build-fuzz/$t-*"; tail -30 "build-fuzz/$t.log"
    failed=1
  fi
  rm -rf "$corpus"
done
exit $failed
