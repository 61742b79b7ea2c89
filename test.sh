#!/usr/bin/env bash
# Runs the whole test suite: builds in Release, runs the xunit suites (real server on loopback,
# real SQLite files), then the real third-party clients in tests/clients against the built server,
# then the official MCP conformance suite and the MCP Inspector CLI (tests/conformance), the /metrics
# lint (tests/metrics) and the short durability proof (tests/durability: kill -9 under load).
# Ends with one line "N passed, N failed"; exits non-zero if anything failed or nothing ran.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0
failed=0
status=0

echo "== build (Release)"
if ! dotnet build RevOps.slnx -c Release -warnaserror; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== xunit"
log=$(mktemp)
dotnet test RevOps.slnx -c Release --no-build 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
while read -r f p; do
  failed=$((failed + f)); passed=$((passed + p))
done < <(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+' "$log" | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+)/\1 \2/')
rm -f "$log"

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
  elif [ -z "$optional" ]; then
    failed=$((failed + 1)); status=1
  fi
  rm -f "$log"
}

run_suite "real clients (tests/clients)" clients tests/clients/run.sh
run_suite "MCP conformance suite and Inspector CLI (tests/conformance)" conformance tests/conformance/run.sh
run_suite "/metrics lint (tests/metrics, promtool)" metrics tests/metrics/run.sh optional
run_suite "durability: SIGKILL under load, then every acknowledged write (tests/durability)" durability tests/durability/run.sh

[ "$excepted" -eq 0 ] || echo "($excepted conformance scenarios excepted, neither passed nor failed: they need MCP sessions; see tests/conformance/README.md)"
[ "$passed" -gt 0 ] || status=1
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
