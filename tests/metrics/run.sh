#!/usr/bin/env bash
# Scrapes /metrics of a real `revops serve` after a few MCP and REST calls and checks it with
# Prometheus's own linter, `promtool check metrics` (Debian package `prometheus`; .ci/run installs it).
#   REVOPS_DLL   path to revops.dll (default: src/RevOps.Cli/bin/Release/net10.0/revops.dll)
#   REVOPS_METRICS_DB   a PostgreSQL connection string to an empty database: run the server on it (--db)
# The last line printed is: metrics: N passed, N failed   (or a notice when promtool is missing)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
dll="${REVOPS_DLL:-src/RevOps.Cli/bin/Release/net10.0/revops.dll}"

if ! command -v promtool >/dev/null 2>&1; then
  echo "metrics: promtool is not installed (apt-get install prometheus); the /metrics lint was not run"
  exit 0
fi

data="$(mktemp -d)"
port=$(( 20000 + RANDOM % 20000 ))
base="http://127.0.0.1:$port"
db_args=()
[ -z "${REVOPS_METRICS_DB:-}" ] || db_args=(--db "$REVOPS_METRICS_DB")
dotnet "$dll" serve --data "$data" --urls "$base" --admin-token metrics-admin "${db_args[@]}" >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 100); do
  curl -sf "$base/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
key=$(curl -sf -X POST "$base/tenants" -H "Authorization: Bearer metrics-admin" -H 'Content-Type: application/json' \
  -d '{"name":"Metrics check"}' | sed -E 's/.*"api_key":"([^"]+)".*/\1/')
call() {
  curl -sf -X POST "$base/mcp" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"$1\",\"arguments\":$2}}" >/dev/null
}
call create_contact '{"LastName":"Scraped"}'
call create_contact '{"FirstName":"No last name"}'
call find_records '{"object":"Contact"}'
curl -sf "$base/services/data/v64.0/sobjects/Contact/describe" -H "Authorization: Bearer $key" >/dev/null

scrape="$data/metrics.txt"
if ! curl -sf "$base/metrics" -o "$scrape"; then
  echo "metrics: GET /metrics failed"; cat "$data/server.log"
  echo "metrics: 0 passed, 1 failed"; exit 1
fi
if promtool check metrics <"$scrape" && grep -q '^revops_request_duration_seconds_bucket{' "$scrape"; then
  echo "metrics: promtool check metrics is clean on $(wc -l <"$scrape") lines, revops_* series present"
  echo "metrics: 1 passed, 0 failed"; exit 0
fi
echo "metrics: 0 passed, 1 failed"; exit 1
