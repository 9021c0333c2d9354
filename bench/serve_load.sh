#!/usr/bin/env bash
# caselink serve under load, measured with wrk (Debian's wrk): how long an
# anonymous request waits for its 401 while the server is busy ranking for a
# user whose markings do not cover every source (each such request resolves
# what that user may see), and a cleared user's triage alone.
#   bash bench/serve_load.sh [BUILD] [PERSONS] [WORK] [SECONDS]
# Issue 20's target: anonymous 401s at most 5 ms at p99 while the server is busy.
set -euo pipefail
source "$(dirname "$0")/scenario_lib.sh"
build=$(cd "${1:-build}" && pwd)
persons=${2:-20000}
work=${3:-/tmp/caselink-load}
seconds=${4:-20}
cl="$build/caselink"
command -v wrk >/dev/null || { echo "serve_load: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
mkdir -p "$work"
cd "$work"
rm -rf data store.db* users.toml
"$cl" generate data --persons "$persons" --seed 21 >/dev/null
ingest_scenario "$cl" store.db data
seed_scenario "$cl" store.db data
"$cl" --store store.db resolve >/dev/null
cleared=$("$cl" token ada --role analyst --markings ALL 2>&1 >>users.toml | sed 's/.*: //')
limited=$("$cl" token bo --role analyst --markings FIN,LE 2>&1 >>users.toml | sed 's/.*: //')
port=18470
serve_store "$cl" store.db users.toml "$port" serve.log
url="http://127.0.0.1:$port/v1/triage?limit=50"
echo "store: $(sqlite3 store.db 'select count(*) from records') records; $(nproc) cores"
# wrk's own latency percentiles; the p99 line is the one the target reads.
report() { grep -E "^ +(50|90|99)%|Requests/sec|Non-2xx" | sed 's/^/  /'; }
echo "anonymous 401s, idle server (wrk --timeout 60s -t1 -c4 -d${seconds}s):"
wrk --timeout 60s -t1 -c4 -d"${seconds}s" --latency "$url" | report
echo "cleared user's triage alone (wrk --timeout 60s -t1 -c1 -d${seconds}s):"
wrk --timeout 60s -t1 -c1 -d"${seconds}s" --latency -H "Authorization: Bearer $cleared" "$url" | report
echo "limited user's triage alone (wrk --timeout 60s -t1 -c1 -d${seconds}s):"
wrk --timeout 60s -t1 -c1 -d"${seconds}s" --latency -H "Authorization: Bearer $limited" "$url" | report
echo "anonymous 401s while two connections ask for the limited user's triage:"
wrk --timeout 60s -t1 -c2 -d"$(( seconds + 4 ))s" -H "Authorization: Bearer $limited" "$url" > busy.txt &
busy=$!
sleep 2
wrk --timeout 60s -t1 -c4 -d"${seconds}s" --latency "$url" | report
wait $busy
echo "  (the limited user's requests meanwhile:)"
report < busy.txt
