#!/usr/bin/env bash
# Batch screening end to end (issue 21's target: >= 10,000 queries/s against
# UN + OFAC with full scoring), through the server and the command line:
#  - POST /match/default (yente's shape) with QUERIES queries in one request,
#  - POST /v1/screen with the same queries,
#  - caselink screen --queries on a CSV of 10 x QUERIES rows,
# each timed whole (client on the same machine, both cores). Half the queries
# are listed people's names (a letter dropped in every other one), half names
# on no list; every third query carries a birth date. Every request and every
# CSV row is a query of its own (none repeats an earlier one word for word):
# the server's threads keep what they learnt of the tokens they met, and a
# batch sent again would be answered from that.
# Usage: bench/serve_screen.sh [BUILD_DIR] [WORK_DIR]   (env: QUERIES=1000, REPS=5)
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/caselink-serve-screen}
queries=${QUERIES:-1000}
reps=${REPS:-5}
data="$(cd "$(dirname "$0")/../../shared/data" && pwd)"
cmake --build "$build" --target caselink >/dev/null
bin="$(cd "$build" && pwd)/caselink"
rm -rf "$work"
mkdir -p "$work"
db="$work/lists.db"
"$bin" --store "$db" watchlist load --name UN --format un-xml "$data/un_consolidated_2026/UN_consolidated.xml" >/dev/null
"$bin" --store "$db" watchlist load --name OFAC --format ofac-sdn "$data/ofac_sdn_2021" >/dev/null
"$bin" token intake --role screener --markings "" >"$work/users.toml" 2>"$work/token.txt"
token=$(grep -o 'cl_[0-9a-f]*' "$work/token.txt")

python3 - "$data/ofac_sdn_2021/sdn.csv" "$queries" "$reps" "$work" <<'EOF'
import csv, json, random, sys
sdn, n, reps, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(21)
listed = [row[1] for row in csv.reader(open(sdn, encoding="latin-1")) if len(row) > 2 and row[2].strip() == "individual"]
first = ["Maria", "Ahmed", "Olena", "Juan", "Li", "Fatima", "Ivan", "Aisha", "Carlos", "Nguyen", "Sofia", "Omar"]
last = ["Garcia", "Petrenko", "Haddad", "Kowalski", "Chen", "Okafor", "Silva", "Novak", "Rahimi", "Moreau",
        "Popescu", "Mensah", "Yilmaz", "Karimi", "Dubois", "Nowak", "Hassan", "Tran", "Ivanova", "Santos"]
seen = set()
def query(i):
    tries = 0
    while True:
        tries += 1
        if i % 2 == 0:
            name = rng.choice(listed)
            # With REPS past about 5 the list's names, as written, run out:
            # then a letter dropped makes another.
            if (i % 4 == 0 or tries > 50) and len(name) > 6:
                k = rng.randrange(1, len(name) - 1)
                name = name[:k] + name[k + 1:]
        else:
            given = rng.choice(first) + (" " + rng.choice(first) if rng.random() < 0.5 else "")
            name = f"{given} {rng.choice(last)} {rng.choice(last)}"
        birth = f"19{rng.randrange(40, 99)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}" if i % 3 == 0 else ""
        if (name, birth) not in seen:
            seen.add((name, birth))
            return name, birth
def props(name, birth):
    p = {"name": [name]}
    if birth:
        p["birthDate"] = [birth]
    return p
# Request r of each route (0 is the warm-up) has queries of its own, and the
# two routes' requests share none.
for r in range(reps + 1):
    qs = [query(i) for i in range(n)]
    json.dump({"queries": {f"q{i}": {"schema": "Person", "properties": props(*q)} for i, q in enumerate(qs)}},
              open(f"{work}/match-{r}.json", "w"))
    qs = [query(i) for i in range(n)]
    json.dump({"queries": [{"name": q[0], "birth_date": q[1], "schema": "person"} for q in qs], "limit": 5},
              open(f"{work}/screen-{r}.json", "w"))
with open(f"{work}/queries.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["full_name", "date_of_birth"])
    for i in range(10 * n):
        w.writerow(query(i))
EOF

"$bin" --store "$db" serve --users "$work/users.toml" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o ':[0-9]*$' "$work/serve.out" | tr -d :)

# POST PREFIX-0.json (the warm-up: it builds the screening index; not
# counted), then PREFIX-1.json .. PREFIX-REPS.json to PATH; prints the best
# and the median rate.
rate() {
  local path=$1 prefix=$2 times=()
  curl -sf -o /dev/null -H "Authorization: ApiKey $token" -H 'Content-Type: application/json' \
    --data-binary "@$prefix-0.json" "http://127.0.0.1:$port$path"
  for r in $(seq "$reps"); do
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: ApiKey $token" \
      -H 'Content-Type: application/json' --data-binary "@$prefix-$r.json" "http://127.0.0.1:$port$path")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$queries" -v path="$path" '
    {t[NR] = $1} END {printf "%-16s %d queries per request: best %.3f s (%.0f queries/s), median %.3f s (%.0f queries/s)\n",
      path, n, t[1], n / t[1], t[int((NR + 1) / 2)], n / t[int((NR + 1) / 2)]}'
}
echo "== through the server (UN + OFAC, $(nproc) cores, curl on the same machine)"
rate /match/default "$work/match"
rate /v1/screen "$work/screen"
echo
echo "== caselink screen --queries ($((10 * queries)) rows, JSON lines out)"
start=$(date +%s.%N)
"$bin" --store "$db" screen --queries "$work/queries.csv" --json >"$work/out.jsonl" || true
end=$(date +%s.%N)
echo "$start $end $((10 * queries))" | awk '{printf "%.3f s, %.0f queries/s (opening the lists included)\n", $2 - $1, $3 / ($2 - $1)}'
