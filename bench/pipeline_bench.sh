#!/usr/bin/env bash
# Times whole runs of the caselink command on generated data:
#   - FtM JSON lines ingest of a generated scenario (records/s, all six sources),
#   - CSV ingest through mappings/febrl.toml of a ~1M-row file built from FEBRL,
#   - resolve and triage on the ingested scenario,
#   - `caselink demo`.
# usage: bench/pipeline_bench.sh [BUILD_DIR=build] [PERSONS=170000] [WORK_DIR=/tmp/caselink-bench]
# 170K persons give about 1.05M FtM records. Needs ../shared/data for the CSV part.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
persons="${2:-170000}"
work="${3:-/tmp/caselink-bench}"
cl="$build/caselink"
rm -rf "$work" && mkdir -p "$work"
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):,.0f}')"; }

echo "caselink pipeline benchmark: $(nproc) cores, $(date -u +%F), $(git -C "$root" rev-parse --short HEAD)"

t0=$(now); "$cl" generate "$work/data" --persons "$persons" --seed 1 >/dev/null; t1=$(now)
echo "generate    $persons persons: $(secs $t0 $t1) s ($(du -sh "$work/data" | cut -f1))"

# FtM JSON lines: every source of the scenario into one fresh store.
store="$work/ftm.db"
total=0
declare -A flags=([encounters]="--reliability B2" [travel]="--reliability A1" [finance]="--markings FIN --reliability B2"
                  [calls]="--markings LE --reliability B2" [cases]="--reliability A2" [intel]="--markings SECRET,NOFORN --reliability B3")
t0=$(now)
for src in encounters travel finance calls cases intel; do
  n=$(wc -l < "$work/data/$src.jsonl"); total=$((total + n))
  s0=$(now)
  # shellcheck disable=SC2086
  "$cl" --store "$store" ingest "$work/data/$src.jsonl" --source "$src" ${flags[$src]} --no-progress >/dev/null
  s1=$(now)
  printf '  ingest %-10s %9d records %7s s %10s records/s\n' "$src" "$n" "$(secs $s0 $s1)" "$(rate $n $s0 $s1)"
done
t1=$(now)
echo "ingest FtM  $total records: $(secs $t0 $t1) s = $(rate $total $t0 $t1) records/s ($(du -h "$store" | cut -f1) store)"

t0=$(now); "$cl" --store "$store" resolve >/dev/null; t1=$(now)
echo "resolve     $(secs $t0 $t1) s"
"$cl" --store "$store" seed --record intel-0000001 --reason "bench" >/dev/null
t0=$(now); "$cl" --store "$store" triage --limit 100 >/dev/null; t1=$(now)
echo "triage      $(secs $t0 $t1) s (full clearance, top 100)"

# CSV: FEBRL dataset4a (5,000 rows) repeated to ~1M rows with unique ids.
febrl="$root/../shared/data/febrl/dataset4a.csv"
if [ -f "$febrl" ]; then
  python3 - "$febrl" "$work/febrl_1m.csv" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().splitlines()
header, rows = lines[0], [l for l in lines[1:] if l.strip()]
with open(dst, "w", encoding="utf-8") as out:
    out.write(header + "\n")
    for copy in range(200):
        for row in rows:
            rec_id, rest = row.split(",", 1)
            out.write(f"{rec_id.strip()}-c{copy}," + rest + "\n")
PY
  n=$(($(wc -l < "$work/febrl_1m.csv") - 1))
  t0=$(now)
  "$cl" --store "$work/csv.db" ingest "$work/febrl_1m.csv" --source febrl --mapping "$root/mappings/febrl.toml" \
        --no-progress >/dev/null 2>&1 || true  # exit 3 when dates are dropped/rows rejected
  t1=$(now)
  echo "ingest CSV  $n rows: $(secs $t0 $t1) s = $(rate $n $t0 $t1) rows/s"
else
  echo "ingest CSV  skipped: $febrl not found"
fi

cd "$work"
t0=$(now); "$cl" demo >/dev/null; t1=$(now)
echo "demo        $(secs $t0 $t1) s"
