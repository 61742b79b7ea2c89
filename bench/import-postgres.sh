#!/usr/bin/env bash
# import.sh into PostgreSQL, with the database's CPU: makes a fresh database on a running private cluster
# (tests/postgres/cluster.sh start DIR), runs bench/import.sh against it, and prints the CPU the cluster's
# processes used meanwhile (the postmaster's reaped children, /proc/PID/stat fields 16 + 17, plus the
# still-running children's own time) during the import alone next to the revops process's user + sys from GNU time.
# Usage: bench/import-postgres.sh CLUSTER_DIR [ROWS=100000] [OUT_DIR=bench/out/import-pg]
set -euo pipefail
dir=${1:?cluster directory}
rows=${2:-100000}
out=${3:-bench/out/import-pg}
root=$(cd "$(dirname "$0")/.." && pwd)
name=import_$(date +%s)_$$
conn=$(bash "$root/tests/postgres/cluster.sh" createdb "$dir" "$name" | tail -n 1)
postmaster=$(head -n 1 "$dir/data/postmaster.pid")
tick=$(getconf CLK_TCK)
cluster_ticks() { # reaped children of the postmaster + its live children + itself
  local total pid
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
  for pid in $(cat "/proc/$postmaster/task/$postmaster/children"); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
before=$(cluster_ticks)
IMPORT_ONLY=1 REVOPS_DB="$conn" bash "$root/bench/import.sh" "$rows" "$out"
after=$(cluster_ticks)
cpu() { awk -F': ' -v k="$1" '$1 ~ k {print $2}' "$out/import.time"; }
user=$(cpu 'User time'); sys=$(cpu 'System time')
awk -v r="$rows" -v u="$user" -v s="$sys" -v pg=$(( after - before )) -v t="$tick" 'BEGIN {
  printf "import revops CPU %.1f s (user %.1f + sys %.1f) = %.0f us/row; PostgreSQL CPU %.1f s = %.0f us/row\n",
    u + s, u, s, (u + s) * 1e6 / r, pg / t, pg / t * 1e6 / r }'
echo "database: $conn"
