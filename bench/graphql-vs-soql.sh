#!/usr/bin/env bash
# GraphQL against the equivalent SOQL in the same run: 100 accounts with their owner and contacts, as one GraphQL
# query (POST /services/data/v60.0/graphql) and as one SOQL query (GET /services/data/v60.0/query) with the same
# fields, parent and child subquery. Time to the last byte over loopback with curl against a real `revops serve` on a
# fresh SQLite file; the two requests alternate, so both see the same machine load. Also prints the SQL statements
# the GraphQL query issued (X-RevOps-Sql-Statements).
# Usage: dotnet build src/RevOps.Cli -c Release && bash bench/graphql-vs-soql.sh [contacts per account] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
CONTACTS=${1:-5}
RUNS=${2:-200}
REVOPS="dotnet src/RevOps.Cli/bin/Release/net10.0/revops.dll"
DIR=$(mktemp -d /tmp/revops-graphql-bench.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
BASE="http://127.0.0.1:$PORT"
TOKEN="bench-$RANDOM$RANDOM"
$REVOPS serve --data "$DIR" --urls "$BASE" --admin-token "$TOKEN" --rate-limits "professional=100000/200000" --semantic off >"$DIR/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.2; done

TENANT_JSON=$(curl -sf -X POST "$BASE/tenants" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"name":"GraphQL bench","subscription_tier":"professional"}')
KEY=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api_key"])' "$TENANT_JSON")

PER=$((200 / (1 + CONTACTS)))
for ((start = 0; start < 100; start += PER)); do
  python3 - "$start" "$PER" "$CONTACTS" >"$DIR/tree.json" <<'PY'
import json, sys
start, per, contacts = map(int, sys.argv[1:])
records = [{"attributes": {"type": "Account", "referenceId": f"a{i}"}, "Name": f"Bench account {i:03d}", "Industry": "Technology",
            "Contacts": {"records": [{"attributes": {"type": "Contact", "referenceId": f"c{i}_{j}"}, "FirstName": "Ada", "LastName": f"Contact {i:03d}-{j}",
                                      "Email": f"ada.{i}.{j}@bench.test"} for j in range(contacts)]}} for i in range(start, min(start + per, 100))]
print(json.dumps({"records": records}))
PY
  curl -sf -X POST "$BASE/services/data/v60.0/composite/tree/Account" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "@$DIR/tree.json" >/dev/null
done

cat >"$DIR/graphql.json" <<'JSON'
{"query": "query { uiapi { query { Account(first: 100, orderBy: { Name: { order: ASC } }) { edges { node { Id Name { value } Industry { value } Owner { Name { value } } Contacts(first: 100) { edges { node { Id Name { value } Email { value } } } } } } } } } }"}
JSON
SOQL="SELECT Id, Name, Industry, Owner.Name, (SELECT Id, Name, Email FROM Contacts LIMIT 100) FROM Account ORDER BY Name LIMIT 100"
gql() { curl -sf -o "$DIR/gql.out" -D "$DIR/gql.headers" -w '%{time_total}\n' -X POST "$BASE/services/data/v60.0/graphql" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "@$DIR/graphql.json"; }
soql() { curl -sf -o "$DIR/soql.out" -w '%{time_total}\n' -G "$BASE/services/data/v60.0/query" -H "Authorization: Bearer $KEY" --data-urlencode "q=$SOQL"; }
for _ in $(seq 20); do gql >/dev/null; soql >/dev/null; done
: >"$DIR/gql.times"; : >"$DIR/soql.times"
for _ in $(seq "$RUNS"); do gql >>"$DIR/gql.times"; soql >>"$DIR/soql.times"; done
python3 - "$DIR" "$RUNS" "$CONTACTS" <<'PY'
import json, sys
d, runs, contacts = sys.argv[1], sys.argv[2], sys.argv[3]
gql = json.load(open(f"{d}/gql.out")); soql = json.load(open(f"{d}/soql.out"))
nodes = gql["data"]["uiapi"]["query"]["Account"]["edges"]
assert "errors" not in gql and len(nodes) == 100 and all(len(n["node"]["Contacts"]["edges"]) == int(contacts) for n in nodes), "unexpected GraphQL answer"
assert soql["totalSize"] == 100 and all(r["Contacts"]["totalSize"] == int(contacts) for r in soql["records"]), "unexpected SOQL answer"
statements = next(l.split(":")[1].strip() for l in open(f"{d}/gql.headers") if l.lower().startswith("x-revops-sql-statements"))
def stats(name):
    t = sorted(float(x) * 1000 for x in open(f"{d}/{name}.times"))
    p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
    return p(0.5), p(0.9), p(0.99)
g, s = stats("gql"), stats("soql")
print(f"100 accounts x {contacts} contacts, {runs} runs each, alternating")
print(f"GraphQL: p50 {g[0]:.2f} ms, p90 {g[1]:.2f} ms, p99 {g[2]:.2f} ms; SQL statements per query: {statements}")
print(f"SOQL:    p50 {s[0]:.2f} ms, p90 {s[1]:.2f} ms, p99 {s[2]:.2f} ms")
print(f"GraphQL p50 / SOQL p50: {g[0] / s[0]:.2f}")
PY
