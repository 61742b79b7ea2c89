#!/usr/bin/env bash
# The agent-task report: runs tests/agent-tasks (real server on loopback, real SQLite, official MCP
# client) and writes per-task calls and response bytes, and the size of tools/list, to
# bench/results/<name>.md and .json. Usage: bash bench/agent-tasks.sh [name]  (default: agent-tasks)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
name="${1:-agent-tasks}"
dotnet build tests/RevOps.Server.Tests -c Release -warnaserror --nologo -v quiet
REVOPS_AGENT_TASKS_REPORT="$PWD/bench/results/$name" \
  dotnet test tests/RevOps.Server.Tests -c Release --no-build --filter "FullyQualifiedName~RevOps.Server.Tests.AgentTasks"
echo "wrote bench/results/$name.md and bench/results/$name.json"
