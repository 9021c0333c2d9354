#!/usr/bin/env bash
# The server's held analysis taking in a batch of new records, against loading
# the store's analysis again, on a generated scenario: every source file is
# cut, the first part ingested and resolved, then the rest given to
# build/bench/live_refresh (needs -DCASELINK_BUILD_BENCH=ON).
#   bash bench/live_refresh.sh [BUILD] [PERSONS] [WORK] [KEEP_PER_MILLE]
# KEEP_PER_MILLE 990 keeps 99% of each file for the store and gives the last 1% to the held analysis.
set -euo pipefail
source "$(dirname "$0")/scenario_lib.sh"
build=$(cd "${1:-build}" && pwd)
persons=${2:-200000}
work=${3:-/tmp/caselink-live}
keep=${4:-990}
cl="$build/caselink"
mkdir -p "$work"
cd "$work"
rm -rf data part2 store.db*
"$cl" generate data --persons "$persons" --seed 21 >/dev/null
mkdir -p part2
args=()
for s in encounters:B2: travel:A1: finance:B2:FIN calls:B2:LE cases:A2: intel:B3:SECRET,NOFORN; do
  IFS=: read -r name grade markings <<< "$s"
  lines=$(wc -l < "data/$name.jsonl")
  cut=$(( lines * keep / 1000 ))
  head -n "$cut" "data/$name.jsonl" > "part2/$name.1.jsonl"
  tail -n +"$(( cut + 1 ))" "data/$name.jsonl" > "part2/$name.2.jsonl"
  extra=()
  [[ -n $markings ]] && extra=(--markings "$markings")
  "$cl" --store store.db ingest "part2/$name.1.jsonl" --source "$name" --reliability "$grade" --no-progress "${extra[@]}" >/dev/null
  args+=("$name=part2/$name.2.jsonl")
done
seed_scenario "$cl" store.db data
"$cl" --store store.db resolve >/dev/null
echo "store: $(sqlite3 store.db 'select count(*) from records') records resolved; new: $(cat part2/*.2.jsonl | wc -l) records"
"$build/bench/live_refresh" store.db "${args[@]}" --seed-phone "+44 20 7946 0958"
