#!/usr/bin/env bash
# Import and export speed (issue 18): generates N contacts as CSV (names, email, title, phone, city, Account.Name over
# N/200 accounts), imports them into a new tenant with `revops import --create-missing-parents`, exports them with
# `revops export`, and prints rows/s and peak RSS of each (GNU time -v). SQLite by default (a fresh data directory,
# synchronous=FULL as always); with REVOPS_DB set, that PostgreSQL database.
# Usage: bench/import.sh [ROWS=100000] [OUT_DIR=bench/out/import]
set -euo pipefail
rows=${1:-100000}
out=${2:-bench/out/import}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${REVOPS_DLL:-$root/src/RevOps.Cli/bin/Release/net10.0/revops.dll}
[ -f "$dll" ] || { echo "build first: dotnet build src/RevOps.Cli -c Release" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out/data"
revops() { dotnet "$dll" "$@" --data "$out/data"; }

python3 - "$rows" "$out/contacts.csv" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8") as f:
    f.write("FirstName,LastName,Email,Title,Phone,MailingCity,Account.Name\n")
    for i in range(rows):
        f.write(f"First{i},Last{i},contact{i}@bench{i % 997}.test,Title {i % 31},+1 555 {i % 10000:04d},City {i % 113},Account {i % max(rows // 200, 1)}\n")
PY
tenant=$(revops tenant create --name "Import bench" --tier enterprise --admin-email admin@bench.test --admin-name "Bench Admin" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant_id"])')

measure() { # label, command...: wall seconds and peak RSS from GNU time
  local label=$1; shift
  /usr/bin/time -v -o "$out/$label.time" "$@" > "$out/$label.out"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$out/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/$label.time")
  printf '%-7s %9d rows in %6.1f s wall (process start included) = %8.0f rows/s, peak RSS %s MB\n' "$label" "$rows" "$wall" "$(echo "$rows / $wall" | bc -l)" "$rss"
}
measure import dotnet "$dll" import --tenant "$tenant" --object Contact "$out/contacts.csv" --create-missing-parents --quiet --data "$out/data"
cat "$out/import.out"
[ "${IMPORT_ONLY:-0}" = 1 ] && exit 0 # import-postgres.sh: the database's CPU of the import alone
measure export dotnet "$dll" export --tenant "$tenant" --object Contact --fields FirstName,LastName,Email,Title,Phone,MailingCity,Account.Name --out "$out/export.csv" --data "$out/data"
echo "exported $(($(wc -l < "$out/export.csv") - 1)) rows"
