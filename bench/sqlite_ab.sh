#!/usr/bin/env bash
# Two caselink binaries on the same generated scenario, alternating: each
# ingests the six sources into a fresh SQLite store and resolves it, timed
# as wall clock and as CPU (user+sys: far less noisy than wall on a shared
# machine), and their triage JSON compared byte for byte. For "no slower
# than before" (issue 23: the binary before a change against the one after).
#
# usage: bench/sqlite_ab.sh OLD_CASELINK NEW_CASELINK DATA_DIR [ROUNDS]
#   DATA_DIR: `caselink generate DATA_DIR --persons N --seed 21`
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n 2,10p "$0" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2") data=$(realpath "$3") rounds=${4:-3}
lib="$(dirname "$(realpath "$0")")/scenario_lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$rounds"); do
  for which in old new; do
    cl=${!which}
    store=$work/$which.db
    rm -f "$store"*
    /usr/bin/time -f "%e %U %S" -o "$work/$which.time" \
      bash -c "source '$lib'; ingest_scenario '$cl' '$store' '$data'; '$cl' --store '$store' resolve >/dev/null"
    "$cl" --store "$store" triage --json --limit 1000 > "$work/$which.json"
    read -r wall user sys < "$work/$which.time"
    python3 -c "print(f'round $round $which: wall {$wall:.1f} s  cpu {$user + $sys:.1f} s')"
  done
  if cmp -s "$work/old.json" "$work/new.json"; then
    echo "round $round: triage JSON identical old/new"
  else
    echo "round $round: triage JSON DIFFERS old/new"
  fi
done
