#!/usr/bin/env bash
# Creates an empty database on the PostgreSQL server of an Npgsql connection string (as test.sh's
# REVOPS_TEST_PG) and prints the connection string for it.
#   bash tests/postgres/create-database.sh "Host=127.0.0.1;Port=5432;Username=revops;Database=postgres" NAME
set -euo pipefail
connection=$1 name=$2
[[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "database name '$name' must be lower-case letters, digits and _" >&2; exit 2; }
field() { echo "$connection" | tr ';' '\n' | sed -n -E "s/^ *$1 *= *(.*)$/\\1/Ip" | tail -n 1; }
host=$(field Host) port=$(field Port) user=$(field Username)
[ -n "$user" ] || user=$(field 'User ?Id')
psql_bin=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)
[ -n "$psql_bin" ] || { echo "psql is not installed" >&2; exit 1; }
PGPASSWORD=$(field Password) "$psql_bin" -q -v ON_ERROR_STOP=1 -h "${host:-127.0.0.1}" -p "${port:-5432}" -U "${user:-postgres}" -d postgres \
  -c "CREATE DATABASE $name" >/dev/null
echo "$(echo "$connection" | tr ';' '\n' | grep -viE '^ *Database *=' | paste -sd ';');Database=$name"
