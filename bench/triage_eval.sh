#!/usr/bin/env bash
# Triage accuracy and fairness on generated scenarios (issues 6 and 19), with
# and without hub damping, beside the baseline the score must beat (issue 19):
# plain personalised PageRank from the same seeds over the same graph. For
# each PERSONS:SEED, `caselink demo` builds the scenario and its store, then
# `caselink eval triage --baseline` prints precision in the first N rows
# (R-precision, N = the network's people), recall in the first 1.5 N rows and
# the fairness gap, for each ranking.
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
printf '%-16s %-14s %8s %8s %8s %8s %10s\n' scenario ranking listed N 'P@N' 'R@1.5N' 'gap'
for spec in "${specs[@]}"; do
  persons=${spec%%:*}
  seed=${spec##*:}
  dir="$work/p$persons-s$seed"
  [ -f "$dir/caselink.db" ] || "$bin" demo --dir "$dir" --persons "$persons" --seed "$seed" >/dev/null
  for hubs in yes no; do
    flag=--baseline
    [ "$hubs" = yes ] || flag=--no-hub-weighting
    "$bin" --store "$dir/caselink.db" eval triage --truth-dir "$dir/data" --json $flag |
      python3 -c '
import json, sys
m = json.load(sys.stdin)
rows = [("caselink" if sys.argv[2] == "yes" else "caselink,nohub", m)]
if "plain_walk_baseline" in m:
    rows.append(("plain PPR", m["plain_walk_baseline"]))
for name, r in rows:
    print("%-16s %-14s %8d %8d %8.3f %8.3f %10.4f" % (sys.argv[1], name, r["rows"], r["target_people"],
          r["precision_at_n"], r["recall_at_1_5n"], r["fairness"]["gap"]))' "$persons/$seed" "$hubs"
  done
done
