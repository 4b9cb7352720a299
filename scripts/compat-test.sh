#!/usr/bin/env bash
# The compatibility suite: Microsoft's own Graph clients from npm (the classic
# @microsoft/microsoft-graph-client and the Kiota SDKs, versions pinned by tests/compat/package-lock.json)
# against real aihistory servers that the tests start and seed themselves. Called by scripts/test.sh
# after the build; needs Node 20+ and the binary (build/aihistory, or $AIH_BINARY).
# Ends with node's test summary ("# pass N", "# fail M"); exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export AIH_BINARY="${AIH_BINARY:-$PWD/build/aihistory}"
if [ ! -x "$AIH_BINARY" ]; then
  echo "compat-test: no aihistory binary at $AIH_BINARY (run scripts/build.sh, or set AIH_BINARY)" >&2
  exit 2
fi
cd tests/compat
# Install exactly what the lockfile pins; skip when node_modules already matches it (npm writes
# node_modules/.package-lock.json, identical in content to the lockfile's packages, on every install).
if ! node -e '
  const a = require("./package-lock.json").packages, b = require("./node_modules/.package-lock.json").packages;
  const strip = (p) => JSON.stringify(Object.entries(p).filter(([k]) => k !== "").map(([k, v]) => [k, v.version, v.integrity]));
  process.exit(strip(a) === strip(b) ? 0 : 1);' 2>/dev/null; then
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error
fi
exec node --test --test-concurrency="${AIH_COMPAT_CONCURRENCY:-1}" --test-reporter=tap
