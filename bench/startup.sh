#!/usr/bin/env bash
# Time to ready: from process start until GET /ready first answers 200 (polled every 5 ms), for the
# framework-dependent build (`dotnet revops.dll`) and the one-file release (publish profile linux-x64:
# self-contained, single file, ReadyToRun), started alternately on copies of the same data directory.
# Prints each start's wall time and the server's CPU time (user + system) at that moment, then medians
# and the release's size. CPU time is the steadier figure on a shared machine; wall is what users see.
# Usage: bash bench/startup.sh [runs] [data-dir-to-copy]
#   data-dir-to-copy: e.g. the bench dataset's directory; default a database made by one start here.
#   SKIP_BUILD=1 reuses src/RevOps.Cli/bin/Release and artifacts/linux-x64 as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-9}
TEMPLATE=${2:-}
if [[ -z "${SKIP_BUILD:-}" ]]; then
  dotnet build src/RevOps.Cli -c Release -warnaserror -v q -nologo >/dev/null
  dotnet publish src/RevOps.Cli -p:PublishProfile=linux-x64 -v q -nologo >/dev/null
fi
WORK=$(mktemp -d /tmp/revops-startup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
TCK=$(getconf CLK_TCK)

ready() { # label, command...: one start; prints "label wall_ms cpu_ms"
  local label=$1; shift
  local dir="$WORK/run" port=$((20000 + RANDOM % 20000))
  rm -rf "$dir"; mkdir -p "$dir"; cp -r "$TEMPLATE/." "$dir/"
  local t0; t0=$(date +%s%N)
  "$@" serve --data "$dir" --urls "http://127.0.0.1:$port" --semantic off >"$WORK/serve.log" 2>&1 &
  local pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/ready"; do
    kill -0 $pid 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
    sleep 0.005
  done
  local t1; t1=$(date +%s%N)
  local stat; read -r -a stat <"/proc/$pid/stat"
  echo "$label $(((t1 - t0) / 1000000)) $(((stat[13] + stat[14]) * 1000 / TCK))"
  kill $pid; wait $pid 2>/dev/null || true
}

DLL=(dotnet src/RevOps.Cli/bin/Release/net10.0/revops.dll)
ONEFILE=(artifacts/linux-x64/revops)
if [[ -z "$TEMPLATE" ]]; then
  TEMPLATE="$WORK/template"; mkdir -p "$TEMPLATE"
  port=$((20000 + RANDOM % 20000))
  "${DLL[@]}" serve --data "$TEMPLATE" --urls "http://127.0.0.1:$port" --semantic off >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/ready"; do sleep 0.05; done
  kill $pid; wait $pid 2>/dev/null || true
fi
ready warmup "${ONEFILE[@]}" >/dev/null # the first start unpacks the native libraries once
for _ in $(seq "$RUNS"); do
  ready dll "${DLL[@]}"
  ready onefile "${ONEFILE[@]}"
done | tee "$WORK/runs.txt"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
for label in dll onefile; do
  echo "$label: median wall $(awk -v l=$label '$1 == l {print $2}' "$WORK/runs.txt" | median) ms, median cpu $(awk -v l=$label '$1 == l {print $3}' "$WORK/runs.txt" | median) ms over $RUNS starts"
done
echo "one-file release: $(stat -c %s "${ONEFILE[0]}" | awk '{printf "%.0f MB", $1 / 1e6}') (${ONEFILE[0]})"
