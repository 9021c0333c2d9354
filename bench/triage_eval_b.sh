#!/usr/bin/env bash
# Triage on the second, independent scenario family (bench/scenario_b.py,
# issue 19), beside the plain personalised PageRank baseline: for each
# PERSONS:SEED[:TARGET_SIZE], writes the scenario, ingests its sources with markings and
# reliability as the demo does, resolves, adds the intelligence seeds, and
# prints resolution accuracy and `caselink eval triage --baseline`.
# Usage: bench/triage_eval_b.sh [BUILD_DIR] [WORK_DIR] [PERSONS:SEED[:TARGET_SIZE] ...]
#   default scenarios: 20000:1 20000:2 20000:3; TARGET_SIZE: people in the
#   network intelligence names (scenario_b.py --target-size), default a
#   middling one
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/caselink-triage-eval-b}
shift $(( $# > 2 ? 2 : $# ))
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(20000:1 20000:2 20000:3)
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/scenario_lib.sh"
cmake --build "$build" --target caselink >/dev/null
bin="$(cd "$build" && pwd)/caselink"
printf '%-12s %-10s %8s %8s %8s %8s %10s %8s\n' scenario ranking listed N 'P@N' 'R@1.5N' 'gap' 'ER F1'
for spec in "${specs[@]}"; do
  IFS=: read -r persons seed target <<< "$spec"
  dir="$work/p$persons-s$seed${target:+-t$target}"
  db="$dir/caselink.db"
  if [ ! -f "$db" ]; then
    mkdir -p "$dir"
    python3 "$here/scenario_b.py" "$dir/data" --persons "$persons" --seed "$seed" ${target:+--target-size "$target"} \
      >"$dir/scenario.txt"
    ingest_scenario "$bin" "$db" "$dir/data"
    "$bin" --store "$db" resolve >/dev/null
    python3 - "$dir/data/seeds.csv" <<'PY' | while IFS=$'\t' read -r kind value reason; do
import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    print("\t".join((row["kind"], row["value"], row["reason"])))
PY
      "$bin" --store "$db" seed "--$kind" "$value" --reason "$reason" >/dev/null
    done
  fi
  f1=$("$bin" --store "$db" eval clusters --truth "$dir/data/truth_records.csv" | awk '/^pairwise/ {print $7}')
  "$bin" --store "$db" eval triage --truth-dir "$dir/data" --json --baseline |
    python3 -c '
import json, sys
m = json.load(sys.stdin)
for name, r in (("caselink", m), ("plain PPR", m["plain_walk_baseline"])):
    print("%-12s %-10s %8d %8d %8.3f %8.3f %10.4f %8s" % (sys.argv[1], name, r["rows"], r["target_people"],
          r["precision_at_n"], r["recall_at_1_5n"], r["fairness"]["gap"], sys.argv[2]))' "$persons/$seed${target:+/$target}" "$f1"
done
