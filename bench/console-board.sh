#!/usr/bin/env bash
# The console's pipeline board with 2,000 open deals: its time to the last byte over loopback (server time plus
# a negligible local transfer), measured with curl against a real `revops serve` on a fresh SQLite file.
# Then every other page (record, list, usage, admin pages, the operator's tenants): what a browser needs before
# its first meaningful paint, the page and its stylesheet (the script is deferred) over one kept-alive connection.
# Usage: dotnet build src/RevOps.Cli -c Release && bash bench/console-board.sh [deals] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
DEALS=${1:-2000}
RUNS=${2:-30}
REVOPS="dotnet src/RevOps.Cli/bin/Release/net10.0/revops.dll"
DIR=$(mktemp -d /tmp/revops-console-bench.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
BASE="http://127.0.0.1:$PORT"
TOKEN="bench-$RANDOM$RANDOM"
$REVOPS serve --data "$DIR" --urls "$BASE" --admin-token "$TOKEN" --rate-limits "professional=100000/200000" >"$DIR/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done

TENANT_JSON=$(curl -sf -X POST "$BASE/tenants" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"Board bench","subscription_tier":"professional"}')
TENANT=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["tenant_id"])' "$TENANT_JSON")
KEY=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$TENANT_JSON")
USERNAME=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["username"])' "$TENANT_JSON")

stages=("Prospecting" "Qualification" "Needs Analysis" "Value Proposition" "Id. Decision Makers" "Perception Analysis" "Proposal/Price Quote" "Negotiation/Review")
for ((batch = 0; batch < DEALS; batch += 200)); do
  python3 - "$batch" "$DEALS" "${stages[@]}" >"$DIR/batch.json" <<'PY'
import json, sys
start, total, stages = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
records = [{"attributes": {"type": "Opportunity"}, "Name": f"Bench deal {i}", "StageName": stages[i % len(stages)],
            "CloseDate": f"2027-{1 + i % 12:02d}-15", "Amount": 1000 + (i * 37) % 90000} for i in range(start, min(start + 200, total))]
print(json.dumps({"allOrNone": True, "records": records}))
PY
  curl -sf -X POST "$BASE/services/data/v60.0/composite/sobjects" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "@$DIR/batch.json" >/dev/null
done

echo "console bench password" | $REVOPS user set-password --tenant "$TENANT" --email "$USERNAME" --data "$DIR" >/dev/null
JAR="$DIR/cookies"
FORM_TOKEN=$(curl -sf -c "$JAR" "$BASE/console/sign-in" | sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p' | head -1)
curl -sf -b "$JAR" -c "$JAR" -o /dev/null -X POST "$BASE/console/sign-in" \
  --data-urlencode "__RequestVerificationToken=$FORM_TOKEN" --data-urlencode "username=$USERNAME" --data-urlencode "password=console bench password"

CARDS=$(curl -sf -b "$JAR" "$BASE/console/board" | grep -o 'class="card"' | wc -l)
for _ in 1 2 3; do curl -sf -b "$JAR" -o /dev/null "$BASE/console/board"; done
for _ in $(seq "$RUNS"); do curl -sf -b "$JAR" -o /dev/null -w '%{time_total}\n' "$BASE/console/board"; done | sort -n >"$DIR/times"
python3 - "$DIR/times" "$CARDS" "$(curl -sf -b "$JAR" "$BASE/console/board" | wc -c)" <<'PY'
import sys
times = [float(t) * 1000 for t in open(sys.argv[1])]
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print(f"board with {sys.argv[2]} cards ({int(sys.argv[3]) // 1024} KiB): median {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, min {times[0]:.0f} ms over {len(times)} runs")
PY

# First paint of every other page: the HTML and the stylesheet, one connection, as a browser fetches them.
paint() {
  local name=$1 url=$2 jar=$3
  for _ in 1 2 3; do curl -sf -b "$jar" -o /dev/null "$url"; done
  for _ in $(seq "$RUNS"); do
    curl -sf -b "$jar" -o /dev/null -o /dev/null -w '%{time_total}\n' "$url" "$BASE/console/assets/console.css" | paste -sd' '
  done >"$DIR/paint"
  python3 - "$DIR/paint" "$name" <<'PY'
import sys
# curl's time_total of the second transfer counts from its own start: the two add up to the page's paint.
runs = sorted(sum(float(t) for t in line.split()) * 1000 for line in open(sys.argv[1]) if line.strip())
p = lambda q: runs[min(len(runs) - 1, int(q * len(runs)))]
print(f"{sys.argv[2]:<28} page + stylesheet: median {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms over {len(runs)} runs")
PY
}

DEAL=$(curl -sf -b "$JAR" "$BASE/console/board" | python3 -c 'import re, sys; print(re.search(r"data-id=\"(006[^\"]+)\"", sys.stdin.read()).group(1))')
paint "record /console/r/{deal}" "$BASE/console/r/$DEAL" "$JAR"
paint "list /console/o/Opportunity" "$BASE/console/o/Opportunity?range=Amount&min=5000" "$JAR"
paint "usage /console/usage" "$BASE/console/usage" "$JAR"
paint "admin custom fields" "$BASE/console/admin/fields" "$JAR"
paint "admin webhooks" "$BASE/console/admin/webhooks" "$JAR"
paint "admin audit log" "$BASE/console/admin/audit" "$JAR"

OPJAR="$DIR/operator-cookies"
FORM_TOKEN=$(curl -sf -c "$OPJAR" "$BASE/console/operator/sign-in" | sed -n 's/.*name="__RequestVerificationToken" value="\([^"]*\)".*/\1/p' | head -1)
curl -sf -b "$OPJAR" -c "$OPJAR" -o /dev/null -X POST "$BASE/console/operator/sign-in" \
  --data-urlencode "__RequestVerificationToken=$FORM_TOKEN" --data-urlencode "token=$TOKEN"
curl -sf -b "$OPJAR" "$BASE/console/operator" | grep -q 'id="tenants"' # signed in: the tenants page, not a redirect
paint "operator /console/operator" "$BASE/console/operator" "$OPJAR"
