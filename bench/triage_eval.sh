#!/usr/bin/env bash
# Triage accuracy and fairness on generated scenarios (issue 6's targets), with
# and without hub damping: for each PERSONS:SEED, `caselink demo` builds the
# scenario and its store, then `caselink eval triage` prints precision in the
# first N rows, recall in the first 1.5 N rows and the fairness gap.
# Usage: bench/triage_eval.sh [BUILD_DIR] [WORK_DIR] [PERSONS:SEED ...]
#   default scenarios: 20000:11 20000:5 200000:21 (the 200K one takes ~5 min).
# The demo ends by dismissing one uninvolved person (its review step): that row
# is hidden from the ranking, as an analyst's dismissal would hide it.
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/caselink-triage-eval}
shift $(( $# > 2 ? 2 : $# ))
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(20000:11 20000:5 200000:21)
cmake --build "$build" --target caselink >/dev/null
bin="$(cd "$build" && pwd)/caselink"
mkdir -p "$work"
printf '%-16s %-6s %8s %8s %8s %8s %10s\n' scenario hubs listed N 'P@N' 'R@1.5N' 'gap (pts)'
for spec in "${specs[@]}"; do
  persons=${spec%%:*}
  seed=${spec##*:}
  dir="$work/p$persons-s$seed"
  [ -f "$dir/caselink.db" ] || "$bin" demo --dir "$dir" --persons "$persons" --seed "$seed" >/dev/null
  for hubs in yes no; do
    flag=""
    [ "$hubs" = yes ] || flag=--no-hub-weighting
    "$bin" --store "$dir/caselink.db" eval triage --truth-dir "$dir/data" --json $flag |
      python3 -c '
import json, sys
m = json.load(sys.stdin)
print("%-16s %-6s %8d %8d %8.3f %8.3f %10.1f" % (sys.argv[1], sys.argv[2], m["rows"], m["target_people"],
      m["precision_at_n"], m["recall_at_1_5n"], m["fairness"]["gap"]))' "$persons/$seed" "$hubs"
  done
done
