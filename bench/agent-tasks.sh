#!/usr/bin/env bash
# The agent-task report: runs tests/agent-tasks (real server on loopback, real SQLite, official MCP
# client) and writes per-task calls and response bytes, and the size of tools/list, to
# bench/results/<name>.md and .json. Usage: bash bench/agent-tasks.sh [name] [before.json]  (default: agent-tasks);
# with an earlier report's .json, the .md ends with each task's calls and bytes before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
name="${1:-agent-tasks}"
dotnet build tests/RevOps.Server.Tests -c Release -warnaserror --nologo -v quiet
before="${2:-}"
[ -z "$before" ] || before="$(cd "$(dirname "$before")" && pwd)/$(basename "$before")"
REVOPS_AGENT_TASKS_REPORT="$PWD/bench/results/$name" REVOPS_AGENT_TASKS_BEFORE="$before" \
  dotnet test tests/RevOps.Server.Tests -c Release --no-build --filter "FullyQualifiedName~RevOps.Server.Tests.AgentTasks"
echo "wrote bench/results/$name.md and bench/results/$name.json"
