#!/usr/bin/env bash
# caselink serve over time and under a write (issue 21's targets: a 10-minute
# soak with no error and memory flat within 10%; reads keep p99 <= 100 ms
# while a 10K-record ingest is taken in). On the store bench/serve_mixed.sh
# keeps (run it first, or this builds it):
#  1. reads (the mix of serve_mixed.sh, 16 connections) for 30 s, with a
#     10,000-record POST /v1/ingest sent 10 s in: the reads' p50/p99 and the
#     ingest's time;
#  2. the mix for SOAK seconds (default 600), the server's resident memory
#     sampled every 10 s: errors, and the first, lowest, highest and last RSS.
#   bash bench/serve_soak.sh [BUILD] [PERSONS] [WORK] [SOAK]
set -euo pipefail
source "$(dirname "$0")/scenario_lib.sh"
build=$(cd "${1:-build}" && pwd)
persons=${2:-50000}
work=${3:-/tmp/caselink-mixed}
soak=${4:-600}
cl="$build/caselink"
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$work/store-$persons.db" ] || bash "$here/serve_mixed.sh" "$build" "$persons" "$work" 1 >/dev/null
cd "$work"
rm -f store.db store.db-wal store.db-shm  # a write-ahead log left beside it would be replayed into the copy
cp "store-$persons.db" store.db
rm -f users.toml
reader=$("$cl" token ada --role analyst --markings ALL 2>&1 >>users.toml | sed 's/.*: //')
writer=$("$cl" token ida --role admin --markings ALL 2>&1 >>users.toml | sed 's/.*: //')
# 10,000 records no source holds: another scenario's encounters, their ids
# and the references between them prefixed.
[ -f intake.jsonl ] || {
  "$cl" generate intake-data --persons 20000 --seed 77 >/dev/null
  head -n 10000 intake-data/encounters.jsonl | sed -E 's/"((enc|ev|fam)-[0-9]+)"/"in-\1"/g' > intake.jsonl
}
port=18475
serve_store "$cl" store.db users.toml "$port" soak-serve.log
base="http://127.0.0.1:$port"
name=$(head -1 data/watchlist.ftm.json | python3 -c 'import json, sys; print(json.load(sys.stdin)["properties"]["name"][0])')
entity=$(curl -s -H "Authorization: Bearer $reader" "$base/v1/triage?limit=1" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["cases"][0]["entity_id"])')
write_mix_lua soak.lua "$reader" "$entity" "$name"
line() { awk '/Requests\/sec/ {r = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} $1 == "Non-2xx" {e = $NF}
  /Socket errors/ {s = $0} END {printf "%s req/s, p50 %s, p99 %s, non-2xx %s%s\n", r, p50, p99, e + 0, s ? "; " s : ""}' "$1"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }

echo "== reads for 30 s (16 connections), a 10,000-record ingest sent 10 s in"
wrk --timeout 60s -t2 -c16 -d30s --latency -s soak.lua "$base/" > during.txt &
reads=$!
sleep 10
curl -s -o ingest.json -w 'ingest: HTTP %{http_code} in %{time_total} s\n' -H "Authorization: Bearer $writer" \
  --data-binary @intake.jsonl "$base/v1/ingest?source=intake&reliability=C3"
wait $reads
echo "  reads: $(line during.txt)"

echo "== soak: the mix for $soak s; resident memory every 10 s"
wrk --timeout 60s -t2 -c16 -d"${soak}s" --latency -s soak.lua "$base/" > soak.txt &
reads=$!
samples=()
while kill -0 $reads 2>/dev/null; do
  samples+=("$(rss)")
  sleep 10
done
wait $reads || true
echo "  reads: $(line soak.txt)"
printf '%s\n' "${samples[@]}" | awk '{if (NR == 1) first = $1; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1; last = $1}
  END {printf "  RSS (MiB): first %.0f, lowest %.0f, highest %.0f, last %.0f; last/first %.3f (%d samples)\n",
    first / 1024, min / 1024, max / 1024, last / 1024, last / first, NR}'
