#!/usr/bin/env bash
# Entity resolution at scale on a generated scenario: full resolve (wall time,
# peak memory, phase timings) and incremental resolution of the last records.
#   bash bench/resolve_scale.sh [BUILD] [PERSONS] [WORK] [NEW_RECORDS]
# PERSONS 313000 gives about 1M Person records (1.6M records in all).
# Needs GNU time (/usr/bin/time) for the peak memory.
set -euo pipefail
source "$(dirname "$0")/scenario_lib.sh"
build=${1:-build}
persons=${2:-100000}
work=${3:-/tmp/caselink-resolve-scale}
fresh=${4:-20000}
cl="$(cd "$build" && pwd)/caselink"
mkdir -p "$work"
cd "$work"
rm -rf data full.db* inc.db*
"$cl" generate data --persons "$persons" --seed 3 >/dev/null
ingest_scenario "$cl" full.db data
echo "store: $(sqlite3 full.db 'select count(*) from records') records, $(sqlite3 full.db "select count(*) from records where schema='Person'") Person records"
echo "== full resolve"
CASELINK_TRACE=1 /usr/bin/time -f "wall %e s, peak %M KB" "$cl" --store full.db resolve 2>&1 | grep -E "trace|wall|people:"
echo "== incremental: the last $fresh records, unresolved again, resolved against the rest"
cp full.db inc.db
last=$(( $(sqlite3 inc.db 'select max(seq) from records') - fresh ))
sqlite3 inc.db "DELETE FROM entity_members WHERE record_seq > $last; DELETE FROM resolution_keys WHERE record_seq > $last; DELETE FROM links WHERE record_seq > $last;"
start=$(date +%s.%N)
CASELINK_TRACE=1 "$cl" --store inc.db resolve --incremental 2>&1
end=$(date +%s.%N)
echo "incremental: $fresh records in $(echo "$end - $start" | bc) s = $(echo "$fresh / ($end - $start)" | bc) records/s (whole command)"
