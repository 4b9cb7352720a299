#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (idempotent), builds the server alone in Release into
# build-release/, creates the demo tenant with sample data in ./data/demo (once), and serves it on
# http://127.0.0.1:8080 and https://127.0.0.1:8443 (AIH_PORT, AIH_HTTPS_PORT choose others; AIH_DATA
# another store), printing how to get a token and call the export API. Stop it with Ctrl-C; run it
# again to resume. Says what it is doing and how far the build has come; a failure is never hidden.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${AIH_DATA:-./data/demo}"
port="${AIH_PORT:-8080}"
https_port="${AIH_HTTPS_PORT:-8443}"
say() { echo "run-demo: $*"; }

# First, before a build and before any instructions: a port already taken (most often by this demo,
# started twice) would make everything after it useless.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$port AIH_PORT" "$https_port AIH_HTTPS_PORT"; do
  read -r n var <<<"$p"
  if port_in_use "$n"; then
    echo "run-demo: port $n is in use (is the demo already running?); choose another with $var, e.g." >&2
    echo "  AIH_PORT=$((port + 10)) AIH_HTTPS_PORT=$((https_port + 10)) $0" >&2
    exit 1
  fi
done

say "checking the system packages (scripts/install-deps.sh)"
scripts/install-deps.sh

# The server alone, optimised (-O2, as the tests' RelWithDebInfo build; -O3 costs a third more compile
# time in the heaviest files) and without debug information (which doubled the compile time and made
# a 257 MB binary): the quickest build that serves.
# Progress is one line per step (rewritten in place on a terminal); anything else the build prints
# (an error) is shown as it comes, and the whole log is kept in build-release/build.log.
build=build-release
export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
generator=()
if command -v ninja >/dev/null && [ ! -f "$build/CMakeCache.txt" ]; then generator=(-G Ninja); fi
mkdir -p "$build"
say "configuring the build ($build/, Release)"
if ! cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DAIH_TESTS=OFF >"$build/configure.log" 2>&1; then
  cat "$build/configure.log" >&2
  echo "run-demo: configuring the build failed (above)" >&2
  exit 1
fi
say "building the server (a few minutes the first time, seconds after)"
tty=0; [ -t 1 ] && tty=1
progress() {
  awk -v tty="$tty" '
    # ninja: "[12/97] Building CXX object CMakeFiles/aih_store.dir/src/store/x.cc.o"; make: "[ 12%] ..."
    /^\[ *[0-9]+(\/[0-9]+|%)\] / {
      step = $1; if (step == "[") step = $1 $2
      what = $0; sub(/^\[[^]]*\] */, "", what)
      if (match(what, /src\/[^ ]*\.cc/)) what = "compiling " substr(what, RSTART, RLENGTH)
      else if (what ~ /^Linking/) what = "linking " $NF
      line = step " " what
      if (tty) { printf "\r\033[K%s", substr(line, 1, 100); pending = 1 }
      else print line
      fflush(); next
    }
    { if (pending) { printf "\n"; pending = 0 } print; fflush() }
    END { if (pending) printf "\n" }'
}
if ! cmake --build "$build" --target aihistory -j"$(nproc)" 2>&1 | tee "$build/build.log" | progress; then
  echo "run-demo: the build failed (the errors are above; the whole log is $build/build.log)" >&2
  exit 1
fi
aihistory="./$build/aihistory"

if [ ! -f "$data/demo-credentials.json" ]; then
  say "creating the demo tenant and its sample data in $data"
  "$aihistory" demo-setup --store "$data" >/dev/null
fi
c="$data/demo-credentials.json"
tenant=$(jq -r .tenantId "$c")
user=$(jq -r .users.licensed.id "$c")
id=$(jq -r .exporter.clientId "$c")
secret=$(jq -r .exporter.clientSecret "$c")
cat <<TXT

aihistory demo: tenant $tenant, credentials in $c, the server is $aihistory

  # 1. an access token for the demo exporter app (client credentials, like Microsoft Entra ID):
  TOKEN=\$(curl -s -X POST http://127.0.0.1:$port/$tenant/oauth2/v2.0/token \\
      -d grant_type=client_credentials -d client_id=$id \\
      -d client_secret=$secret -d scope=https://graph.microsoft.com/.default | jq -r .access_token)

  # 2. a licensed user's AI interactions, newest first, two per page:
  curl -s -H "Authorization: Bearer \$TOKEN" \\
      "http://127.0.0.1:$port/v1.0/copilot/users/$user/interactionHistory/getAllEnterpriseInteractions?\\\$top=2" | jq .

  HTTPS (self-signed, trust $data/tls/cert.pem): https://127.0.0.1:$https_port/...
  More: README.md (endpoints), docs/clients.md (Microsoft's Graph clients).

TXT
# A local demo: change-notification receivers on this machine over plain http are allowed
# (docs/notifications.md, "Which receivers the server may call"); a real deployment leaves these out.
exec "$aihistory" serve --store "$data" --port "$port" --https-port "$https_port" \
  --webhook-allow-network 127.0.0.0/8 --webhook-allow-network ::1/128 --webhook-allow-http
