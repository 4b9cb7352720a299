#!/usr/bin/env bash
# Builds the server alone (no tests) in Release into build-release/: what scripts/run-demo.sh serves
# and scripts/package.sh packages. Incremental. Assumes scripts/install-deps.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "build-release: $*"; }
# The server alone, optimised and without debug information (which doubled the compile time and
# made a 257 MB binary): the quickest build that serves. AIH_OPTIMIZE (default -O1) is the optimisation
# level: -O1 compiles about a fifth faster than -O2 and costs an export no CPU that we could measure
# (docs/benchmarks.md, "Session 8"); scripts/package.sh builds the package with -O2.
# Progress is one line per step (rewritten in place on a terminal); anything else the build prints
# (an error) is shown as it comes, and the whole log is kept in build-release/build.log.
build=build-release
# No compiler cache: a first build only fills it (about 5% more time: it hashes every header each file
# includes), and a later one is incremental anyway (Ninja recompiles only what changed); a build with
# other flags (the package's) would find nothing in it.
export CCACHE_DISABLE=1
generator=()
if command -v ninja >/dev/null && [ ! -f "$build/CMakeCache.txt" ]; then generator=(-G Ninja); fi
mkdir -p "$build"
say "configuring the build ($build/, Release)"
# AIH_UNITY_BUILD (default ON, for a quick first start): the modules' small files compiled in batches
# (CMakeLists.txt), a third less CPU; the batches are optimised less well (an export costs about 20%
# more server CPU), so scripts/package.sh builds with AIH_UNITY_BUILD=OFF.
# The Beast files are compiled with -O1 whatever AIH_OPTIMIZE says (AIH_BEAST_O1; an export costs the
# server no more CPU: docs/benchmarks.md); in a unity build, where they share one batch, the whole http
# module is.
if ! cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="${AIH_OPTIMIZE:--O1} -DNDEBUG" \
    -DAIH_UNITY_BUILD="${AIH_UNITY_BUILD:-ON}" -DAIH_BEAST_O1="${AIH_BEAST_O1:-ON}" \
    -DAIH_TESTS=OFF >"$build/configure.log" 2>&1; then
  cat "$build/configure.log" >&2
  echo "build-release: configuring the build failed (above)" >&2
  exit 1
fi
tty=0; [ -t 1 ] && tty=1
progress() {
  awk -v tty="$tty" '
    # ninja: "[12/97] Building CXX object CMakeFiles/aih_store.dir/src/store/x.cc.o"; make: "[ 12%] ..."
    /^\[ *[0-9]+(\/[0-9]+|%)\] / {
      step = $1; if (step == "[") step = $1 $2
      what = $0; sub(/^\[[^]]*\] */, "", what)
      if (match(what, /src\/[^ ]*\.cc/)) what = "compiling " substr(what, RSTART, RLENGTH)
      else if (match(what, /CMakeFiles\/[a-z_]+\.dir\/Unity/)) {  # a unity build: a batch of a module
        module = substr(what, RSTART + 11, RLENGTH - 21); sub(/^aih_/, "", module)
        what = "compiling a batch of src/" (module == "aihistory" ? "cli" : module) "/*.cc"
      }
      else if (what ~ /^Linking/) what = "linking " $NF
      line = step " " what
      if (tty) { printf "\r\033[K%s", substr(line, 1, 100); pending = 1 }
      else print line
      fflush(); next
    }
    { if (pending) { printf "\n"; pending = 0 } print; fflush() }
    END { if (pending) printf "\n" }'
}
say "compiling the server (about 2 minutes on 2 idle cores the first time; seconds after)"
if ! cmake --build "$build" --target aihistory -j"$(nproc)" 2>&1 | tee "$build/build.log" | progress; then
  echo "build-release: the build failed (the errors are above; the whole log is $build/build.log)" >&2
  exit 1
fi
