#!/usr/bin/env bash
# Durability proof, short form (the full one: bench/README.md, "durability"). Writers over MCP and REST
# at full speed against a real `revops serve`; the server is killed with SIGKILL mid-load and restarted on
# the same data, 3 times; then every acknowledged write must be there with exactly one change-log row and
# nothing unacknowledged half-written. Runs the bench built by test.sh (dotnet run if it is not built).
#   REVOPS_DLL   path to revops.dll (default: src/RevOps.Cli/bin/Release/net10.0/revops.dll)
#   REVOPS_DURABILITY_DB   a PostgreSQL connection string to an empty database: run the server on it (--db)
# The last line printed is: durability: N passed, N failed   (N = checks)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
dll="${REVOPS_DLL:-src/RevOps.Cli/bin/Release/net10.0/revops.dll}"
bench=bench/RevOps.Bench/bin/Release/net10.0/revops-bench.dll

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if [ -f "$bench" ]; then run=(dotnet "$bench"); else run=(dotnet run -c Release --project bench/RevOps.Bench --); fi

db_args=()
[ -z "${REVOPS_DURABILITY_DB:-}" ] || db_args=(--db "$REVOPS_DURABILITY_DB")
"${run[@]}" durability --server "$dll" --cycles 3 "${db_args[@]}" --out "$out" 2>&1 | tee "$out/run.log"
status=${PIPESTATUS[0]}
line=$(grep -E '^durability: [0-9]+ passed, [0-9]+ failed$' "$out/run.log" | tail -n 1)
if [ -z "$line" ]; then
  echo "durability: 0 passed, 1 failed"
  exit 1
fi
if [ "$status" -ne 0 ] && [[ "$line" == *", 0 failed" ]]; then
  # The run ended badly after its checks (e.g. cancelled): count that as a failure too.
  echo "durability: ${line#durability: }" | sed -E 's/, 0 failed$/, 1 failed/'
  exit 1
fi
exit "$status"
