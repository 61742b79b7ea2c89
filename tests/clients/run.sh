#!/usr/bin/env bash
# Runs the third-party client tests (official MCP TypeScript SDK, seed desktop client emulation, jsforce)
# against the real RevOps server. Works from any cwd.
#   REVOPS_DLL   path to revops.dll (default: src/RevOps.Cli/bin/Release/net10.0/revops.dll)
#   CLIENTS_JUNIT  optional path of a JUnit XML report to write as well
# The last line printed is always: clients: N passed, N failed
set -uo pipefail

# Make a relative REVOPS_DLL / CLIENTS_JUNIT relative to the caller's cwd, before we cd.
if [ -n "${REVOPS_DLL:-}" ]; then
  case "$REVOPS_DLL" in /*) ;; *) REVOPS_DLL="$PWD/$REVOPS_DLL" ;; esac
  export REVOPS_DLL
fi
if [ -n "${CLIENTS_JUNIT:-}" ]; then
  case "$CLIENTS_JUNIT" in /*) ;; *) CLIENTS_JUNIT="$PWD/$CLIENTS_JUNIT" ;; esac
fi

cd "$(dirname "${BASH_SOURCE[0]}")" || { echo "clients: 0 passed, 1 failed"; exit 1; }

summary() { echo "clients: $1 passed, $2 failed"; }

if ! command -v node >/dev/null 2>&1; then
  echo "node is not installed (Node 20 or later is needed)" >&2
  summary 0 1; exit 1
fi

# Install when a locked package is missing (e.g. node_modules from before jsforce was added).
if [ ! -d node_modules/@modelcontextprotocol/sdk ] || [ ! -d node_modules/jsforce ]; then
  if ! npm ci --no-audit --no-fund; then
    echo "npm ci failed" >&2
    summary 0 1; exit 1
  fi
fi

reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [ -n "${CLIENTS_JUNIT:-}" ]; then
  mkdir -p "$(dirname "$CLIENTS_JUNIT")"
  reporters+=(--test-reporter=junit "--test-reporter-destination=$CLIENTS_JUNIT")
fi

out="$(mktemp)"
trap 'rm -f "$out"' EXIT

node --test "${reporters[@]}" ./*.test.mjs 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}

# The spec reporter ends with "ℹ pass N", "ℹ fail N", "ℹ cancelled N" (maybe with colour codes).
count() {
  sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -E "^ℹ $1 [0-9]+\$" | tail -n 1 | awk '{print $3}'
}
passed="$(count pass)"; passed="${passed:-0}"
failed="$(count fail)"; failed="${failed:-0}"
cancelled="$(count cancelled)"; cancelled="${cancelled:-0}"
failed=$((failed + cancelled))
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the runner failed without reporting a failed test (crash, bad file, ...)
fi

summary "$passed" "$failed"
if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
exit 0
