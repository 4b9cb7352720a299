#!/usr/bin/env bash
# Sizing: disk and memory per number of interactions, for docs/operations.md ("Sizing").
#
#   bench/sizing.sh [--interactions N] [--binary FILE] [--postgres URL]
#
# Seeds N synthetic interactions (aihistory seed: 1,000 users, realistic prompts and responses with
# attachments, links and mentions) into a fresh SQLite store (and, with --postgres, a fresh database
# of that server), then measures:
#   - the store on disk, after a checkpoint (SQLite: the files; PostgreSQL: pg_database_size less the
#     size of the database before the store was created), and the same per million interactions;
#   - the server's memory: RSS once it has opened the store and answered one request, and its peak
#     RSS (VmHWM) after paging through the whole tenant once, $top=1000, with one client.
# Prints a table. Uses build/aihistory unless --binary names another.
set -euo pipefail
cd "$(dirname "$0")/.."
n=1000000
binary=build/aihistory
pg_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --interactions) n=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --postgres) pg_url=$2; shift 2 ;;
    *) echo "sizing: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
users=1000
per_user=$(( (n + users - 1) / users ))
n=$(( per_user * users ))
tenant=00000000-0000-4000-8000-000000000001
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

kb_of() { awk -v f="$2" '$1 == f":" {print $2}' "/proc/$1/status"; }

# Seeds the store, serves it, pages through everything; prints "disk_bytes rss_kb peak_kb seconds".
measure() {
  local store=$1 empty_bytes=$2
  local t0; t0=$(date +%s)
  "$binary" seed --store "$store" --tenant "$tenant" --users "$users" --interactions "$per_user" >/dev/null 2>&1
  local seeded=$(( $(date +%s) - t0 ))
  local disk
  if [[ "$store" == postgresql* ]]; then
    disk=$(psql "$store" -Atc "CHECKPOINT; SELECT pg_database_size(current_database())" 2>/dev/null | tail -1)
    disk=$(( disk - empty_bytes ))
  else
    sqlite3 "$store/aihistory.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    disk=$(du -sb --exclude=tls "$store" | cut -f1)
  fi
  local app; app=$("$binary" admin app register --store "$store" --tenant "$tenant" --name sizing 2>/dev/null)
  local id secret
  id=$(awk '/^client id:/ {print $3}' <<<"$app")
  secret=$(awk '/^client secret:/ {print $3}' <<<"$app")
  "$binary" admin consent grant --store "$store" --tenant "$tenant" --client-id "$id" \
    --role AiEnterpriseInteraction.Read.All >/dev/null
  "$binary" serve --store "$store" --port 0 >"$work/serve.log" 2>&1 &
  server_pid=$!
  local url=""
  for _ in $(seq 1 300); do
    url=$(grep -oE 'listening on http://[^ ]+' "$work/serve.log" | head -1 | sed 's/listening on //') || true
    [ -n "$url" ] && break
    sleep 0.1
  done
  local token
  token=$(curl -s -X POST "$url/$tenant/oauth2/v2.0/token" -d grant_type=client_credentials \
    -d client_id="$id" -d client_secret="$secret" -d scope=https://graph.microsoft.com/.default | jq -r .access_token)
  local next="$url/v1.0/copilot/interactionHistory/getAllEnterpriseInteractions?\$top=1000"
  curl -s -o /dev/null -H "Authorization: Bearer $token" "$url/health/ready"
  local rss; rss=$(kb_of "$server_pid" VmRSS)
  local pages=0 items=0
  while [ -n "$next" ] && [ "$next" != null ]; do
    curl -s -H "Authorization: Bearer $token" "$next" >"$work/page.json"
    items=$(( items + $(jq '.value | length' "$work/page.json") ))
    next=$(jq -r '."@odata.nextLink" // empty' "$work/page.json")
    pages=$((pages + 1))
  done
  local peak; peak=$(kb_of "$server_pid" VmHWM)
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=""
  if [ "$items" -ne "$n" ]; then echo "sizing: exported $items of $n interactions" >&2; exit 1; fi
  echo "$disk $rss $peak $seeded"
}

row() {  # engine disk rss peak seconds
  awk -v e="$1" -v d="$2" -v r="$3" -v p="$4" -v s="$5" -v n="$n" 'BEGIN {
    printf "| %s | %d | %.0f MB | %.0f | %.2f GB | %.0f MB | %.0f MB | %d s |\n",
      e, n, d / 1048576, d / n, d / n * 1e6 / 1073741824, r / 1024, p / 1024, s }'
}

echo "| engine | interactions | store on disk | bytes per interaction | per million | server RSS, idle | server peak RSS, after paging all | seed time |"
echo "|---|---|---|---|---|---|---|---|"
result=$(measure "$work/sqlite" 0)  # a failure stops here (set -e)
read -r disk rss peak secs <<<"$result"
row SQLite "$disk" "$rss" "$peak" "$secs"
if [ -n "$pg_url" ]; then
  db="aih_sizing_$$"
  psql "$pg_url" -qc "CREATE DATABASE $db" >/dev/null
  store_url="${pg_url%/*}/$db"
  empty=$(psql "$store_url" -Atc "SELECT pg_database_size(current_database())")
  result=$(measure "$store_url" "$empty")
  read -r disk rss peak secs <<<"$result"
  row PostgreSQL "$disk" "$rss" "$peak" "$secs"
  psql "$pg_url" -qc "DROP DATABASE $db" >/dev/null 2>&1 || true
fi
