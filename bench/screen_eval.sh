#!/usr/bin/env bash
# Screening accuracy and speed (issue 7's targets) in one command:
#  1. bench/screen_eval on the UN and OFAC lists in ../shared/data: every UN
#     name at rank 1, perturbed UN names at rank 1, false hits on 10,000
#     generated people on no list, the threshold curve, single-core speed, and
#     a generated list of BIG names (default 1,000,000) with its p99.
#  2. `caselink screen --all` on a generated scenario of PERSONS people
#     (default 200,000; 0 skips it), twice: from scratch, then with nothing
#     changed; peak memory from GNU time.
#  3. `caselink screen --all` on CASELOAD generated people (default 1,000,000;
#     0 skips it), one Person record each, ingested without resolving.
# Usage: bench/screen_eval.sh [BUILD_DIR] [WORK_DIR]   (env: BIG, PERSONS, CASELOAD, SEED)
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/caselink-screen-eval}
big=${BIG:-1000000}
persons=${PERSONS:-200000}
caseload=${CASELOAD:-1000000}
seed=${SEED:-21}
data="$(cd "$(dirname "$0")/../../shared/data" && pwd)"
cmake --build "$build" --target caselink screen_eval >/dev/null
bin="$(cd "$build" && pwd)/caselink"
eval_bin="$(cd "$build" && pwd)/bench/screen_eval"
mkdir -p "$work"

echo "== lists, names and speed (one core)"
taskset -c 0 "$eval_bin" --un "$data/un_consolidated_2026/UN_consolidated.xml" --ofac "$data/ofac_sdn_2021" \
  --people 10000 --big "$big" --seed 7

if [ "$persons" -gt 0 ]; then
  echo
  echo "== screen --all on a generated scenario of $persons people (both cores)"
  dir="$work/p$persons-s$seed"
  [ -f "$dir/caselink.db" ] || "$bin" demo --dir "$dir" --persons "$persons" --seed "$seed" >/dev/null
  db="$work/screen-all.db"
  cp "$dir/caselink.db" "$db"
  "$bin" --store "$db" watchlist load --name UN --format un-xml "$data/un_consolidated_2026/UN_consolidated.xml"
  "$bin" --store "$db" watchlist load --name OFAC --format ofac-sdn "$data/ofac_sdn_2021"
  for run in "from scratch" "nothing changed"; do
    echo "-- $run"
    /usr/bin/time -f "   wall %e s, peak %M KB" "$bin" --store "$db" screen --all
  done
fi

if [ "$caseload" -gt 0 ]; then
  echo
  echo "== screen --all on $caseload generated people, one record each (both cores)"
  db="$work/caseload-$caseload.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$eval_bin" --write-people "$caseload" --out "$work/people.jsonl"
  /usr/bin/time -f "   ingest: wall %e s, peak %M KB" "$bin" --store "$db" ingest --no-progress --source people "$work/people.jsonl" >/dev/null
  "$bin" --store "$db" watchlist load --name UN --format un-xml "$data/un_consolidated_2026/UN_consolidated.xml"
  "$bin" --store "$db" watchlist load --name OFAC --format ofac-sdn "$data/ofac_sdn_2021"
  /usr/bin/time -f "   wall %e s, peak %M KB" "$bin" --store "$db" screen --all
fi
