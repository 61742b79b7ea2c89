#!/usr/bin/env bash
# Runs the whole test suite: builds in Release, runs the xunit suites (real server on loopback,
# real SQLite files), runs the server suite again on PostgreSQL (REVOPS_TEST_PG, or a throw-away cluster
# started by tests/postgres/cluster.sh when PostgreSQL is installed) with the tests of two nodes sharing
# PostgreSQL and Redis (when redis-server is installed), then the real third-party clients in tests/clients against the built server,
# then the official MCP conformance suite and the MCP Inspector CLI (tests/conformance), the /metrics
# lint (tests/metrics) and the short durability proof (tests/durability: kill -9 under load); the clients,
# conformance, metrics and durability suites run again on PostgreSQL.
# Ends with one line "N passed, N failed"; exits non-zero if anything failed or nothing ran.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0
failed=0
status=0
# The names of what failed, printed again just before the last line so a cut-off log still shows them.
failures=$(mktemp)

echo "== build (Release)"
if ! dotnet build RevOps.slnx -c Release -warnaserror; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# Runs dotnet test with the given arguments and adds the "Failed: N, Passed: N" counts of its summary lines.
run_xunit() {
  local log
  log=$(mktemp)
  dotnet test "$@" -c Release --no-build 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  while read -r f p; do
    failed=$((failed + f)); passed=$((passed + p))
  done < <(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+' "$log" | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+)/\1 \2/')
  grep -E '^ +Failed [A-Za-z]' "$log" | sed -E "s/^ +/xunit ${REVOPS_TEST_PG:+(PostgreSQL) }/" >>"$failures"
  rm -f "$log"
}

echo "== xunit on SQLite"
# These need PostgreSQL and run in the PostgreSQL pass below: PostgresRowLevelSecurityTests (row-level security),
# PostgresBackupTests (revops backup through pg_dump), PostgresMigrateDataTests (tenants moved from SQLite), and
# several nodes sharing one database and one Redis (ClusterTests, ClusterFailureTests, which need redis-server), and the
# storage tests marked Backend=PostgreSQL (PostgresTenantEntryTests), which run in the storage contract's PostgreSQL pass.
REVOPS_TEST_PG= run_xunit RevOps.slnx --filter "Backend!=PostgreSQL&FullyQualifiedName!~PostgresRowLevelSecurityTests&FullyQualifiedName!~PostgresMigrateDataTests&FullyQualifiedName!~PostgresBackupTests&FullyQualifiedName!~ClusterTests&FullyQualifiedName!~ClusterFailureTests"

# The PostgreSQL pass: tests/RevOps.Server.Tests again, every test server on a fresh PostgreSQL database,
# then tests/RevOps.Storage.Tests (the storage contract) with its PostgreSQL cases generated.
# It covers every store (tenants and keys, records, custom fields, change log, audit, usage, search, SOQL,
# pipeline, webhooks and their outbox) and leaves out only what is SQLite's own:
pg_excluded=(
  "Migration0003_ExistingRecords_BackfilledIntoIndex"   # SQLite's migration 0003 dropped and re-applied; PostgreSQL starts at 0007
  "UpgradeFixtureTests"                                  # a SQLite file written by an old release, opened by today's build
)
# RevOps.Domain.Tests touch no database and run once, above; tests/clients, tests/conformance, the /metrics
# lint and tests/durability run on SQLite only, below.
# The tests of several nodes (ClusterTests, ClusterFailureTests) also start private redis-server processes.
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  echo "== NOTE: redis-server is not installed (apt-get install redis-server): ClusterTests and ClusterFailureTests will NOT RUN"
  pg_excluded+=("ClusterTests" "ClusterFailureTests")
fi
pg_filter="FullyQualifiedName!~${pg_excluded[0]}"
for name in "${pg_excluded[@]:1}"; do pg_filter="$pg_filter&FullyQualifiedName!~$name"; done
pg_cluster=""
stop_pg() { [ -z "$pg_cluster" ] || { bash tests/postgres/cluster.sh stop "$pg_cluster"; rm -rf "$pg_cluster"; }; }
trap stop_pg EXIT
pg="${REVOPS_TEST_PG:-}"
if [ -z "$pg" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  pg_cluster=$(mktemp -d /tmp/revops-test-pg.XXXXXX)
  echo "== starting a throw-away PostgreSQL cluster in $pg_cluster"
  pg=$(bash tests/postgres/cluster.sh start "$pg_cluster" | tail -n 1) || { echo "could not start PostgreSQL"; pg=""; failed=$((failed + 1)); status=1; }
fi
if [ -n "$pg" ]; then
  echo "== xunit on PostgreSQL: tests/RevOps.Server.Tests except ${pg_excluded[*]} (not RevOps.Domain.Tests, clients, conformance, metrics, durability)"
  REVOPS_TEST_PG="$pg" run_xunit tests/RevOps.Server.Tests --filter "$pg_filter"
  # The storage contract suite: every contract test again on PostgreSQL (each test class on fresh
  # databases). Its SQLite cases ran in the SQLite pass above; without REVOPS_TEST_PG it generates no others.
  echo "== storage contract (tests/RevOps.Storage.Tests) on PostgreSQL"
  REVOPS_TEST_PG="$pg" run_xunit tests/RevOps.Storage.Tests --filter "Backend=PostgreSQL"
else
  echo "== xunit on PostgreSQL: NOT RUN: PostgreSQL is not installed (apt-get install postgresql) and REVOPS_TEST_PG is not set"
  echo "== storage contract on PostgreSQL: NOT RUN (its SQLite cases ran above)"
fi

# Runs one suite's script and adds the counts of its last "<label>: N passed, N failed[, N excepted]" line.
# A suite that prints no such line counts as one failure, unless it may be absent (the metrics lint
# without promtool says so and counts nothing).
excepted=0
run_suite() {
  local title=$1 label=$2 script=$3 optional=${4:-}
  [ -f "$script" ] || return 0
  echo "== $title"
  local log line p f e
  log=$(mktemp)
  REVOPS_DLL="$PWD/src/RevOps.Cli/bin/Release/net10.0/revops.dll" bash "$script" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  line=$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed(, [0-9]+ excepted)?\$" "$log" | tail -n 1)
  if [ -n "$line" ]; then
    read -r p f e < <(echo "$line" | sed -E "s/^$label: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) excepted)?\$/\\1 \\2 \\4/")
    passed=$((passed + p)); failed=$((failed + f)); excepted=$((excepted + ${e:-0}))
    [ "$f" -eq 0 ] || echo "$title: $f failed" >>"$failures"
  elif [ -z "$optional" ]; then
    failed=$((failed + 1)); status=1
    echo "$title: printed no summary line" >>"$failures"
  fi
  rm -f "$log"
}

run_suite "real clients (tests/clients)" clients tests/clients/run.sh
run_suite "MCP conformance suite and Inspector CLI (tests/conformance)" conformance tests/conformance/run.sh
if [ -n "$pg" ]; then
  # The same clients and conformance scenarios with every server on a fresh PostgreSQL database.
  REVOPS_CLIENTS_PG="$pg" run_suite "real clients on PostgreSQL (tests/clients)" clients tests/clients/run.sh
  REVOPS_CLIENTS_PG="$pg" run_suite "MCP conformance suite and Inspector CLI on PostgreSQL (tests/conformance)" conformance tests/conformance/run.sh
fi
run_suite "/metrics lint (tests/metrics, promtool)" metrics tests/metrics/run.sh optional
if [ -n "$pg" ] && command -v promtool >/dev/null 2>&1; then
  if pg_db=$(bash tests/postgres/create-database.sh "$pg" revops_metrics_$$); then
    REVOPS_METRICS_DB="$pg_db" run_suite "/metrics lint on PostgreSQL (tests/metrics, promtool)" metrics tests/metrics/run.sh
  else
    echo "could not create a database for the /metrics lint on PostgreSQL"; failed=$((failed + 1)); status=1
  fi
fi
run_suite "durability: SIGKILL under load, then every acknowledged write (tests/durability)" durability tests/durability/run.sh
# The same proof with the server on PostgreSQL, on a fresh database of the PostgreSQL pass's server.
if [ -n "$pg" ] && pg_db=$(bash tests/postgres/create-database.sh "$pg" revops_durability_$$); then
  REVOPS_DURABILITY_DB="$pg_db" run_suite "durability on PostgreSQL: SIGKILL under load, then every acknowledged write" durability tests/durability/run.sh
elif [ -n "$pg" ]; then
  echo "could not create a database for the durability proof on PostgreSQL"; failed=$((failed + 1)); status=1
fi

[ "$excepted" -eq 0 ] || echo "($excepted conformance scenarios excepted, neither passed nor failed; tests/conformance/README.md says why for each)"
if [ -s "$failures" ]; then echo "== what failed"; cat "$failures"; fi
rm -f "$failures"
[ "$passed" -gt 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
