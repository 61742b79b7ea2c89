#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite: never a server anyone else uses.
#
#   bash tests/postgres/cluster.sh start DIR   initdb into DIR, start on a free loopback port and print the
#                                              connection string for REVOPS_TEST_PG as the last line
#   bash tests/postgres/cluster.sh createdb DIR NAME
#                                              create database NAME owned by `revops` and print its
#                                              connection string as the last line
#   bash tests/postgres/cluster.sh stop DIR    stop it at once, as a crash would (the caller removes DIR)
#   bash tests/postgres/cluster.sh start-again DIR   start a stopped one again on the same port
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user that the Debian
# package creates. The cluster trusts loopback connections (it listens on 127.0.0.1 only) and skips fsync:
# its data is thrown away. REVOPS_PG_DURABLE=1 keeps fsync, synchronous_commit and full_page_writes at
# PostgreSQL's defaults (on) instead: the benchmark measures commits as a production server makes them. The tests connect as `revops`, a role that is neither superuser nor BYPASSRLS
# (CREATEDB so each test server gets a fresh database; member of revops_tenant, the role the tenant-scoped
# transactions run as, which is made here once so parallel test servers never race to create it).
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && command -v initdb >/dev/null 2>&1; then dir=$(dirname "$(readlink -f "$(command -v initdb)")"); fi
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start() {
  local dir=$1 bin port
  bin=$(bin_dir)
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  port=$(free_port)
  echo "$port" >"$dir/port"
  echo "${REVOPS_PG_DURABLE:-0}" >"$dir/durable"
  echo "${REVOPS_PG_STATS:-0}" >"$dir/stats"
  run_server "$bin" "$dir" "$port"
  as_owner "$bin/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres <<'SQL' >/dev/null
CREATE ROLE revops LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS;
CREATE ROLE revops_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS;
GRANT revops_tenant TO revops;
-- DROP DATABASE … WITH (FORCE) ends what is still connected to a finished test server's database.
GRANT pg_signal_backend TO revops;
SQL
  echo "Host=127.0.0.1;Port=$port;Username=revops;Database=postgres"
}

# Thrown-away test data needs no fsync; REVOPS_PG_DURABLE=1 (kept in DIR for start-again) asks for PostgreSQL's
# defaults instead, for a test that crashes the server and counts what survived, or a benchmark.
durability() {
  if [ "${REVOPS_PG_DURABLE:-0}" = 1 ]; then echo "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  else echo "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
}

# REVOPS_PG_STATS=1 (kept in DIR for start-again) loads pg_stat_statements, for finding where PostgreSQL's time per call
# goes (CREATE EXTENSION pg_stat_statements as postgres in the database, then read pg_stat_statements).
statistics() {
  if [ "${REVOPS_PG_STATS:-0}" = 1 ]; then echo "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c track_io_timing=on"; fi
}

run_server() {
  local bin=$1 dir=$2 port=$3
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir $(durability) $(statistics) -c max_connections=300 -c shared_buffers=64MB" \
    >/dev/null || { cat "$dir/server.log" >&2; return 1; }
}

# Starts a stopped cluster again on its port, as after a crash: the failure tests' "PostgreSQL restarts".
start_again() {
  local dir=$1
  REVOPS_PG_DURABLE=$(cat "$dir/durable") REVOPS_PG_STATS=$(cat "$dir/stats" 2>/dev/null || echo 0) run_server "$(bin_dir)" "$dir" "$(cat "$dir/port")"
}

create_database() {
  local dir=$1 name=$2 bin port
  bin=$(bin_dir)
  # postmaster.pid's fourth line is the port the cluster listens on.
  port=$(sed -n 4p "$dir/data/postmaster.pid")
  # The name goes into SQL unquoted, so it must be a plain identifier.
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "database name must match [a-z_][a-z0-9_]*: $name" >&2; return 2; }
  as_owner "$bin/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE $name OWNER revops" >/dev/null
  echo "Host=127.0.0.1;Port=$port;Username=revops;Database=$name"
}

stop() {
  local dir=$1 bin
  bin=$(bin_dir)
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "${2:?directory}" ;;
  createdb) create_database "${2:?directory}" "${3:?database name}" ;;
  stop) stop "${2:?directory}" ;;
  start-again) start_again "${2:?directory}" ;;
  *) echo "usage: $0 start|stop|start-again DIR, or createdb DIR NAME" >&2; exit 2 ;;
esac
