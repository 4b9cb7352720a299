#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (idempotent), builds aihistory, creates the demo tenant with
# sample data in ./data/demo (once), and serves it on http://127.0.0.1:8080 and https://127.0.0.1:8443,
# printing how to get a token and call the export API. Stop it with Ctrl-C; run it again to resume.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
AIH_TESTS=OFF scripts/build.sh --target aihistory >/dev/null
data="${AIH_DATA:-./data/demo}"
port="${AIH_PORT:-8080}"
https_port="${AIH_HTTPS_PORT:-8443}"
if [ ! -f "$data/demo-credentials.json" ]; then
  ./build/aihistory demo-setup --store "$data" >/dev/null
fi
c="$data/demo-credentials.json"
tenant=$(jq -r .tenantId "$c")
user=$(jq -r .users.licensed.id "$c")
id=$(jq -r .exporter.clientId "$c")
secret=$(jq -r .exporter.clientSecret "$c")
cat <<TXT

aihistory demo: tenant $tenant, credentials in $c

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
exec ./build/aihistory serve --store "$data" --port "$port" --https-port "$https_port" \
  --webhook-allow-network 127.0.0.0/8 --webhook-allow-network ::1/128 --webhook-allow-http
