#!/usr/bin/env bash
# The workbench's targets (issue 22), in Debian's chromium against caselink
# serve on the same machine:
#  - the queue: first paint (sign-in click to rows painted) and a filter
#    (request to filtered rows painted), at the default cut and with every
#    person the seeds reach (min_score 0: the 10,000-case queue);
#  - the evidence graph opened out to 500 nodes, then panned and zoomed:
#    frames per second;
#  - the bundle's size, gzipped.
#   bash bench/web_workbench.sh [BUILD] [PERSONS] [WORK]
set -euo pipefail
source "$(dirname "$0")/scenario_lib.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
persons=${2:-50000}
work=${3:-/tmp/caselink-web-bench}
cl="$build/caselink"
[ -f "$root/web/dist/index.html" ] || { echo "web_workbench: build the workbench first (bash scripts/web.sh)" >&2; exit 2; }
mkdir -p "$work"
cd "$work"
[ -f "store-$persons.db" ] || scenario_store "$cl" "$persons"
rm -f store.db store.db-wal store.db-shm
cp "store-$persons.db" store.db
rm -f users.toml
token=$("$cl" token sup --role supervisor --markings ALL 2>&1 >>users.toml | sed 's/.*: //')
port=18472
serve_store "$cl" store.db users.toml "$port" serve.log
base="http://127.0.0.1:$port"
curl -s -H "Authorization: Bearer $token" "$base/v1/queue?limit=1&min_score=0" >/dev/null  # the ranking held
echo "store: $(sqlite3 store.db 'select count(*) from records') records, $persons people; $(nproc) cores; chromium on the same machine"
cd "$root/web"
node tests/queue_bench.mjs "$base" "$token" 5
node tests/queue_bench.mjs "$base" "$token" 5 0
node tests/graph_bench.mjs "$base" "$token" 500 5
echo "bundle: $(cat dist/assets/*.js | gzip -9 | wc -c) bytes of script gzipped, $(cat dist/assets/*.css | gzip -9 | wc -c) of style"
