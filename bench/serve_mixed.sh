#!/usr/bin/env bash
# caselink serve under mixed reads (issue 21's target: >= 2,000 requests/s,
# p99 <= 20 ms from 16 keep-alive clients, for a cleared and a restricted
# user alike, on the 50K-person scenario), measured with wrk (Debian's):
#  - each route alone (16 connections): requests/s, p50, p99;
#  - the mix (triage page, one case, the queue, stats, screening one name),
#    one route after another on each connection, for each user.
#   bash bench/serve_mixed.sh [BUILD] [PERSONS] [WORK] [SECONDS]
set -euo pipefail
source "$(dirname "$0")/scenario_lib.sh"
build=$(cd "${1:-build}" && pwd)
persons=${2:-50000}
work=${3:-/tmp/caselink-mixed}
seconds=${4:-10}
cl="$build/caselink"
command -v wrk >/dev/null || { echo "serve_mixed: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
mkdir -p "$work"
cd "$work"
if [ ! -f "store-$persons.db" ]; then
  scenario_store "$cl" "$persons"
  "$cl" --store "store-$persons.db" watchlist load --name WL --format ftm data/watchlist.ftm.json >/dev/null
fi
rm -f store.db store.db-wal store.db-shm  # a write-ahead log left beside it would be replayed into the copy
cp "store-$persons.db" store.db
rm -f users.toml
cleared=$("$cl" token ada --role analyst --markings ALL 2>&1 >>users.toml | sed 's/.*: //')
limited=$("$cl" token bo --role analyst --markings FIN,LE 2>&1 >>users.toml | sed 's/.*: //')
port=18471
serve_store "$cl" store.db users.toml "$port" serve.log
base="http://127.0.0.1:$port"
name=$(head -1 data/watchlist.ftm.json | python3 -c 'import json, sys; print(json.load(sys.stdin)["properties"]["name"][0])')
echo "store: $(sqlite3 store.db 'select count(*) from records') records, $persons people; $(nproc) cores; wrk on the same machine"

for who in cleared limited; do
  token=${!who}
  # Warm: the user's view ranked, the screening index built.
  entity=$(curl -s -H "Authorization: Bearer $token" "$base/v1/triage?limit=1" |
    python3 -c 'import json, sys; c = json.load(sys.stdin)["cases"]; print(c[0]["entity_id"] if c else "none")')
  curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\": \"$name\"}" "$base/v1/screen"
  write_mix_lua mix.lua "$token" "$entity" "$name"
  echo "== $who user (markings $([ $who = cleared ] && echo ALL || echo FIN,LE))"
  printf '  %-24s %10s %9s %9s\n' route "req/s" p50 p99
  for route in "/v1/triage?limit=50" "/v1/cases/$entity" "/v1/queue?limit=50" "/v1/stats" "screen one name" "mix"; do
    case $route in
      "screen one name") args=(-s one.lua); cat > one.lua <<EOF
wrk.method = "POST"
wrk.body = '{"name": "$name"}'
wrk.headers["Content-Type"] = "application/json"
EOF
        url="$base/v1/screen" ;;
      mix) args=(-s mix.lua); url="$base/" ;;
      *) args=(); url="$base$route" ;;
    esac
    wrk --timeout 30s -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "${args[@]}" "$url" > out.txt
    rate=$(awk '/Requests\/sec/ {print $2}' out.txt)
    p50=$(awk '$1 == "50%" {print $2}' out.txt)
    p99=$(awk '$1 == "99%" {print $2}' out.txt)
    errors=$(awk '/Non-2xx/ {print " (" $NF " non-2xx)"}' out.txt)
    printf '  %-24s %10s %9s %9s%s\n' "${route%%\?*}" "$rate" "$p50" "$p99" "$errors"
  done
done
# The write-ahead log the runs left (every request appends audit events):
# the store's write-back thread keeps it near StoreOptions::wal_limit_bytes.
echo "write-ahead log after the runs: $(( $(stat -c %s store.db-wal 2>/dev/null || echo 0) / 1048576 )) MiB"
