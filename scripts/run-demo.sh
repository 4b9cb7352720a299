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

say "building the server into build-release/ (about 2 minutes on 2 idle cores the first time, seconds after)"
scripts/build-release.sh
build=build-release
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
