#!/usr/bin/env bash
# Triage scoring speed, and the personalised PageRank step beside Debian's
# python3-igraph on the same graph in the same run (issue 6's targets):
#   - the peers' figure: Barabasi-Albert 200K nodes / 1M edges, 10 seeds;
#   - the target: 10M edges (2M nodes), 100 seeds: top 100 with their
#     evidence <= 200 ms after loading, a new seed re-scored <= 1 s.
# Usage: bench/triage_compare.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/caselink-triage-bench}
mkdir -p "$work"
cmake --build "$build" --target triage_scale >/dev/null
if ! /usr/bin/python3 -c 'import igraph' 2>/dev/null; then
  echo "python3-igraph is missing: apt-get install python3-igraph" >&2
  exit 2
fi
for spec in "200000 10" "2000000 100"; do
  set -- $spec
  echo "== Barabasi-Albert, $1 nodes, m=5, $2 seeds"
  "$build/bench/triage_scale" --nodes "$1" --m 5 --seeds "$2" --repeat 5 --dump "$work/ba$1"
  /usr/bin/python3 "$(dirname "$0")/ppr_igraph.py" "$work/ba$1" "$1"
  rm -f "$work/ba$1".*
done
