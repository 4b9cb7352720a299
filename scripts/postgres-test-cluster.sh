#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite: initdb in a temporary directory, listening on
# a loopback port only, fsync on, owned by an unprivileged user when run as root.
#
#   scripts/postgres-test-cluster.sh start   # creates (first time) and starts it; prints its URL
#   scripts/postgres-test-cluster.sh url     # prints the URL of the running cluster
#   scripts/postgres-test-cluster.sh crash   # stops it the way a crash does (immediate), data kept
#   scripts/postgres-test-cluster.sh stop    # stops it and removes the directory
#
# The cluster lives in $AIH_PG_DIR (default: $TMPDIR/aih-pg-test); give another directory to run a
# second cluster beside the first. Typical use:
#   export AIH_TEST_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start) && ctest ...; scripts/postgres-test-cluster.sh stop
set -euo pipefail

dir="${AIH_PG_DIR:-${TMPDIR:-/tmp}/aih-pg-test}"
bin=/usr/lib/postgresql/15/bin
db_user=aih  # the cluster's superuser: tests create and drop databases

die() { echo "postgres-test-cluster: $*" >&2; exit 1; }

ensure_installed() {
  [ -x "$bin/initdb" ] && return
  [ "$(id -u)" = 0 ] || die "PostgreSQL 15 is not installed; run: sudo apt-get install -y postgresql-15"
  echo "postgres-test-cluster: installing PostgreSQL 15 from Debian's packages" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >&2; } ||
    die "cannot install postgresql-15"
}

# PostgreSQL refuses to run as root: as root, run it as the `postgres` system user (or `aihpg`).
os_user() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  id aihpg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin aihpg
  echo aihpg
}

as_owner() {
  local owner; owner=$(cat "$dir/owner")
  if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for _ in $(seq 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
  done
  die "no free loopback port found"
}

url() {
  [ -f "$dir/port" ] || die "no cluster in $dir; run: $0 start"
  echo "postgresql://$db_user@127.0.0.1:$(cat "$dir/port")/postgres"
}

running() { [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

create() {
  ensure_installed
  local owner; owner=$(os_user)
  mkdir -p "$dir"
  echo "$owner" >"$dir/owner"
  free_port >"$dir/port"
  chown -R "$owner" "$dir"
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U "$db_user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $(cat "$dir/port")
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
max_connections = 400
shared_buffers = 128MB
logging_collector = off
CONF
}

start() {
  if [ ! -d "$dir/data" ]; then create; fi
  if ! running; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
      { tail -20 "$dir/server.log" >&2; die "the server did not start (log: $dir/server.log)"; }
  fi
  url
}

case "${1:-}" in
  start) start ;;
  url) running || die "the cluster in $dir is not running; run: $0 start"; url ;;
  crash) [ -d "$dir/data" ] || die "no cluster in $dir"; running && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null; true ;;
  stop)
    if [ -d "$dir/data" ]; then
      running && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
      rm -rf "$dir"
    fi ;;
  *) die "usage: $0 start|url|crash|stop" ;;
esac
