#!/usr/bin/env bash
# How much the ranking owes each of the score's constants (issue 19, item 3):
# moves each constant of docs/triage-score.md 50% down and up, one at a time,
# and prints R-precision (P@N) and recall within 1.5 N on every scenario
# given, beside the shipped values. A constant whose moves change little is
# not fitted to the scenarios; one whose move helps one family and hurts the
# other is.
# Usage: bench/triage_sensitivity.sh [BUILD_DIR] SCENARIO_DIR...
#   each SCENARIO_DIR as bench/triage_eval.sh and bench/triage_eval_b.sh
#   leave them: caselink.db (resolved, seeded) and data/ (truth files).
set -euo pipefail
build=${1:-build}
shift || true
[ $# -gt 0 ] || { echo "usage: $0 BUILD_DIR SCENARIO_DIR..." >&2; exit 2; }
cmake --build "$build" --target caselink >/dev/null
bin="$(cd "$build" && pwd)/caselink"
# NAME shipped down up: 50% each way (whole numbers rounded half up).
variations=(
  "hub_degree 8 4 12"
  "max_lines 4 2 6"
  "line_floor 0.1 0.05 0.15"
  "journey_days 3 2 5"
  "walk_share 0.3 0.15 0.45"
  "min_score 0.2 0.1 0.3"
)
measure() {  # DIR [eval options...] -> "P@N R@1.5N"
  local dir=$1
  shift
  "$bin" --store "$dir/caselink.db" eval triage --truth-dir "$dir/data" --json "$@" |
    python3 -c 'import json, sys; m = json.load(sys.stdin); print("%.3f %.3f" % (m["precision_at_n"], m["recall_at_1_5n"]))'
}
printf '%-18s %-6s' constant value
for dir in "$@"; do printf ' %13s' "$(basename "$dir")"; done
printf ' %13s\n' 'mean change'
declare -A shipped
row() {  # NAME VALUE [eval options...]
  local name=$1 value=$2
  shift 2
  printf '%-18s %-6s' "$name" "$value"
  local dp=0 dr=0 i=0
  for dir in "${dirs[@]}"; do
    read -r p r < <(measure "$dir" "$@")
    printf ' %6s/%6s' "$p" "$r"
    if [ "$name" = shipped ]; then
      shipped[$dir]="$p $r"
    else
      read -r sp sr <<< "${shipped[$dir]}"
      dp=$(python3 -c "print($dp + $p - $sp)")
      dr=$(python3 -c "print($dr + $r - $sr)")
    fi
    i=$((i + 1))
  done
  if [ "$name" = shipped ]; then
    printf ' %13s\n' '-'
  else
    python3 -c "print(' %+6.3f/%+6.3f' % ($dp / $i, $dr / $i))"
  fi
}
dirs=("$@")
row shipped -
for v in "${variations[@]}"; do
  read -r name _ down up <<< "$v"
  for value in "$down" "$up"; do
    if [ "$name" = min_score ]; then
      row "$name" "$value" --min-score "$value"
    else
      row "$name" "$value" --constant "$name=$value"
    fi
  done
done
