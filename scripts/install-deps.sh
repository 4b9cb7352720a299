#!/usr/bin/env bash
# Installs everything aihistory needs to build, run and test on Debian 12. Idempotent: packages
# already present are left alone, so a second run costs a few seconds.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config git
  ninja-build  # scripts/build-release.sh: compiles a library while those it links are still building (make waits)
  libboost1.74-dev libsimdjson-dev libcli11-dev libtomlplusplus-dev libsqlite3-dev sqlite3 libicu-dev libpq-dev libssl-dev openssl
  libprotobuf-dev zlib1g-dev     # OTLP ingest: protobuf's wire-format reader (src/otlp); gzip request bodies (src/http)
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev       # libFuzzer targets
  postgresql-15 postgresql-client-15  # the scale-out store and its tests
  curl ca-certificates procps jq
  python3                        # scripts/check-layering.py (a test)
  dpkg-dev binutils systemd strace  # scripts/package.sh (dpkg-shlibdeps, strip) and its test (systemd-analyze, strace)
)

# One dpkg-query for all (one per package cost seconds on a busy machine, on every run).
# (It exits 1 when one was never installed, as on a fresh machine: that is an answer, not a failure.)
installed=$( (dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true) | awk '/ install ok installed$/ {print $1}')
missing=()
for p in "${packages[@]}"; do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node.js 20 runs the compatibility suite with Microsoft's own clients. Debian 12's nodejs is 18;
# use what the machine has when it is 18 or newer, else install Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
