#!/usr/bin/env bash
# A restricted user's view under writes (issue 21, item 2): on the store
# bench/serve_mixed.sh keeps (run it first, or this builds it), the time of a
# FIN,LE analyst's `GET /v1/triage?limit=50` when their view is first ranked,
# then after each of three 200-record POST /v1/ingest by an admin (the view
# ranked again), and once more from what is held. Each time is one request
# (curl), so compare binaries within one run of this script each, alternated.
#   bash bench/serve_view.sh [BUILD] [PERSONS] [WORK]
set -euo pipefail
source "$(dirname "$0")/scenario_lib.sh"
build=$(cd "${1:-build}" && pwd)
persons=${2:-50000}
work=${3:-/tmp/caselink-mixed}
cl="$build/caselink"
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$work/store-$persons.db" ] || bash "$here/serve_mixed.sh" "$build" "$persons" "$work" 1 >/dev/null
cd "$work"
rm -f view.db view.db-wal view.db-shm view-users.toml
cp "store-$persons.db" view.db
reader=$("$cl" token vr --role analyst --markings FIN,LE 2>&1 >>view-users.toml | sed 's/.*: //')
writer=$("$cl" token vw --role admin --markings ALL 2>&1 >>view-users.toml | sed 's/.*: //')
# Records no source holds: another scenario's encounters, their ids (and the
# references between them) prefixed per batch.
if [ ! -f view-intake.jsonl ]; then
  "$cl" generate view-intake --persons 5000 --seed 78 >/dev/null
  cp view-intake/encounters.jsonl view-intake.jsonl
fi
port=18477
serve_store "$cl" view.db view-users.toml "$port" view-serve.log
base="http://127.0.0.1:$port"
triage() { curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $reader" "$base/v1/triage?limit=50"; }
echo "FIN,LE triage: first (view ranked) $(triage) s, again (held) $(triage) s"
for k in 1 2 3; do
  sed -n "$((k * 200 + 1)),$((k * 200 + 200))p" view-intake.jsonl |
    sed -E "s/\"((enc|ev|fam)-[0-9]+)\"/\"v$k-\\1\"/g" > view-batch.jsonl
  curl -s -o /dev/null -H "Authorization: Bearer $writer" --data-binary @view-batch.jsonl \
    "$base/v1/ingest?source=intake&reliability=C3"
  echo "after ingest $k: $(triage) s (ranked again), then $(triage) s (held)"
done
