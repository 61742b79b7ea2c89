#!/usr/bin/env bash
# Files (docs/files.md): streams one multipart ContentVersion upload of SIZE_MB (default 1024) to a real `revops serve`
# with curl, samples the server's RSS every 50 ms, downloads the file back and compares the SHA-256, and prints the
# upload's MB/s and the server's RSS before, at peak during the upload, and the growth. SQLite in a fresh data directory.
# STORE=s3 keeps the files in an S3-compatible store instead of on local disk: s3rver (tests/s3, `npm ci` there on first
# use) on a loopback port with its objects under OUT_DIR, and the server started with --files s3://bench?endpoint=….
# WARMUP_MB=N first uploads (and leaves) an N MB file, so "before" is taken with the upload path's code loaded and its
# connections open: the growth then is what the big upload holds, not the first use of the store's client.
# Usage: [STORE=local|s3] [WARMUP_MB=0] bench/files-upload.sh [SIZE_MB=1024] [OUT_DIR=bench/out/files]
set -euo pipefail
size_mb=${1:-1024}
out=${2:-bench/out/files}
store=${STORE:-local}
warmup_mb=${WARMUP_MB:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${REVOPS_DLL:-$root/src/RevOps.Cli/bin/Release/net10.0/revops.dll}
[ -f "$dll" ] || { echo "build first: dotnet build src/RevOps.Cli -c Release" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
token="bench-admin-$RANDOM$RANDOM"

head -c "$((size_mb * 1024 * 1024))" /dev/urandom > "$out/upload.bin"
files=()
s3=""
if [ "$store" = s3 ]; then
  s3dir="$root/tests/s3"
  [ -f "$s3dir/node_modules/s3rver/bin/s3rver.js" ] || (cd "$s3dir" && npm ci --no-audit --no-fund > /dev/null)
  mkdir -p "$out/s3"
  node "$s3dir/node_modules/s3rver/bin/s3rver.js" -d "$out/s3" -a 127.0.0.1 -p 0 --no-vhost-buckets --configure-bucket bench > "$out/s3rver.log" 2>&1 &
  s3=$!
  until s3port=$(grep -oE 'listening on [^:[:space:]]+:[0-9]+' "$out/s3rver.log" | grep -oE '[0-9]+$'); do sleep 0.2; done
  files=(--files "s3://bench?endpoint=http%3A%2F%2F127.0.0.1%3A$s3port&region=us-east-1")
  export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
elif [ "$store" != local ]; then
  echo "STORE is local or s3, not $store" >&2; exit 2
fi
REVOPS_SEMANTIC=off dotnet "$dll" serve --urls "$base" --data "$out/data" --admin-token "$token" "${files[@]}" > "$out/serve.log" 2>&1 &
server=$!
trap 'kill $server $s3 2>/dev/null || true' EXIT
until curl -sf "$base/health" > /dev/null; do
  kill -0 "$server" 2>/dev/null || { echo "revops serve did not start:" >&2; cat "$out/serve.log" >&2; exit 1; }
  sleep 0.2
done
key=$(curl -sf -X POST "$base/tenants" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"Files bench","subscription_tier":"enterprise","admin_email":"admin@bench.test","admin_name":"Bench Admin"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
if [ "$warmup_mb" -gt 0 ]; then
  head -c "$((warmup_mb * 1024 * 1024))" /dev/urandom > "$out/warmup.bin"
  curl -sf -o /dev/null -H "Authorization: Bearer $key" \
    -F 'entity_content={"PathOnClient":"warmup.bin","Title":"Bench warm-up"};type=application/json' \
    -F "VersionData=@$out/warmup.bin;type=application/octet-stream" "$base/services/data/v60.0/sobjects/ContentVersion"
  rm -f "$out/warmup.bin"
fi
sleep 1
before=$(rss)

peak=$before
start=$(date +%s.%N)
curl -sf -o "$out/created.json" -H "Authorization: Bearer $key" \
  -F 'entity_content={"PathOnClient":"upload.bin","Title":"Bench upload"};type=application/json' \
  -F "VersionData=@$out/upload.bin;type=application/octet-stream" \
  "$base/services/data/v60.0/sobjects/ContentVersion" &
upload=$!
while kill -0 "$upload" 2>/dev/null; do
  now=$(rss); [ "$now" -gt "$peak" ] && peak=$now
  sleep 0.05
done
wait "$upload"
elapsed=$(echo "$(date +%s.%N) - $start" | bc -l)
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$out/created.json")

curl -sf -H "Authorization: Bearer $key" "$base/services/data/v60.0/sobjects/ContentVersion/$id/VersionData" -o "$out/download.bin"
same=$([ "$(sha256sum < "$out/upload.bin")" = "$(sha256sum < "$out/download.bin")" ] && echo "same bytes back" || echo "BYTES DIFFER")
printf '%s (warm-up %d MB): upload %d MB in %.1f s = %.0f MB/s; server RSS %d MB before, %d MB peak during the upload: growth %d MB; %s (%s)\n' \
  "$store" "$warmup_mb" "$size_mb" "$elapsed" "$(echo "$size_mb / $elapsed" | bc -l)" "$((before / 1024))" "$((peak / 1024))" "$(((peak - before) / 1024))" "$same" "$id"
rm -f "$out/upload.bin" "$out/download.bin"
[ -z "$s3" ] || rm -rf "$out/s3"
