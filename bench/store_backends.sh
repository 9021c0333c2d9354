#!/usr/bin/env bash
# The two store backends side by side in one run (issue 23): a generated
# scenario ingested (every source) and resolved in full on an SQLite file
# and on a PostgreSQL database, timed; then the triage JSON of both (full
# clearance and PUBLIC) compared byte for byte; then four `caselink ingest`
# processes writing distinct files into one PostgreSQL database at once,
# checked for lost and duplicated records.
# usage: bench/store_backends.sh [BUILD_DIR=build] [PERSONS=200000] [WORK_DIR=/tmp/caselink-backends]
# The PostgreSQL server is $CASELINK_TEST_PG's (a URI to its postgres
# database) or a throw-away cluster started here (scripts/pg_cluster.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
persons="${2:-200000}"
work="${3:-/tmp/caselink-backends}"
cl="$build/caselink"
# shellcheck source=bench/scenario_lib.sh
source "$root/bench/scenario_lib.sh"
rm -rf "$work" && mkdir -p "$work"
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

admin=${CASELINK_TEST_PG:-}
if [ -z "$admin" ]; then
  admin=$(bash "$root/scripts/pg_cluster.sh" start "$work/pg")
  trap 'bash "$root/scripts/pg_cluster.sh" stop "$work/pg"' EXIT
fi
# A fresh database NAME on the server; prints its URI.
fresh_db() {
  psql -q "$admin" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  echo "${admin/\/postgres\?//$1?}"
}

echo "caselink store backends: $(nproc) cores, $(date -u +%F), $(git -C "$root" rev-parse --short HEAD)," \
  "$(psql -tA "$admin" -c 'SHOW server_version') PostgreSQL"
"$cl" generate "$work/data" --persons "$persons" --seed 21 >/dev/null
records=$(cat "$work"/data/*.jsonl | wc -l)
echo "scenario: $persons persons, $records records"

declare -A store=([sqlite]="$work/store.db" [postgresql]="$(fresh_db caselink_bench)")
for backend in sqlite postgresql; do
  s=${store[$backend]}
  t0=$(now); ingest_scenario "$cl" "$s" "$work/data" || true; t1=$(now)
  seed_scenario "$cl" "$s" "$work/data"
  t2=$(now); "$cl" --store "$s" resolve >/dev/null; t3=$(now)
  printf '%-10s ingest %6s s   full resolve %6s s   ingest + resolve %6s s\n' "$backend" "$(secs "$t0" "$t1")" \
    "$(secs "$t2" "$t3")" "$(python3 -c "print(f'{$t1 - $t0 + $t3 - $t2:.1f}')")"
  "$cl" --store "$s" triage --json --limit 1000 > "$work/triage-$backend.json"
  "$cl" --store "$s" triage --json --limit 1000 --clearance PUBLIC > "$work/triage-public-$backend.json"
done
for view in triage triage-public; do
  if cmp -s "$work/$view-sqlite.json" "$work/$view-postgresql.json"; then
    echo "$view JSON: byte-identical on both ($(wc -c < "$work/$view-sqlite.json") bytes)"
  else
    echo "$view JSON: DIFFERS (diff $work/$view-sqlite.json $work/$view-postgresql.json)"
  fi
done

# Four writers at once into one store: each ingests its own quarter of the
# encounters under its own source, committing every 2,000 rows so that they
# take turns (one file in one transaction holds the writer's lock until it
# ends: the others wait for it, and give up after the busy timeout, 3 s, on
# either backend).
lines=$(wc -l < "$work/data/encounters.jsonl")
split -n l/4 -d "$work/data/encounters.jsonl" "$work/part-"
"$cl" --store "$work/one.db" ingest "$work/data/encounters.jsonl" --source one --no-progress >/dev/null 2>&1 || true
expected=$(sqlite3 "$work/one.db" "SELECT COUNT(*) FROM records")
declare -A writers=([sqlite]="$work/writers.db" [postgresql]="$(fresh_db caselink_writers)")
for backend in sqlite postgresql; do
  s=${writers[$backend]}
  t0=$(now)
  for k in 0 1 2 3; do
    "$cl" --store "$s" ingest "$work/part-0$k" --source "part$k" --batch-size 2000 --no-progress \
      >/dev/null 2>"$work/part-$backend-$k.err" &
  done
  failed=0
  for job in $(jobs -p); do wait "$job" || [ $? -eq 3 ] || failed=$((failed + 1)); done
  t1=$(now)
  if [ "$backend" = sqlite ]; then
    held=$(sqlite3 "$s" "SELECT COUNT(*) || ' records, ' || COUNT(DISTINCT id) || ' distinct ids, largest seq ' || MAX(seq) FROM records")
  else
    held=$(psql -tA "$s" -c "SELECT COUNT(*) || ' records, ' || COUNT(DISTINCT id) || ' distinct ids, largest seq ' || MAX(seq) FROM records")
  fi
  printf '%-10s 4 writers: %s s, %d failed -> %s (the file alone: %s records); %s\n' "$backend" "$(secs "$t0" "$t1")" \
    "$failed" "$held" "$expected" "$("$cl" --store "$s" audit verify | tail -1 | cut -d';' -f1)"
done
