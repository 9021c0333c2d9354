# Shared by the bench scripts that load a generated scenario (source it):
# the sources of `caselink generate` with the reliability and markings the
# benchmarks give them, and the two steps that load them.

# name:reliability:markings of each source file of a generated scenario.
scenario_sources=(encounters:B2: travel:A1: finance:B2:FIN calls:B2:LE cases:A2: intel:B3:SECRET,NOFORN)

# ingest_scenario CASELINK STORE DIR [SUFFIX]: ingests DIR/NAME[SUFFIX].jsonl
# of each source into STORE.
ingest_scenario() {
  local cl=$1 store=$2 dir=$3 suffix=${4:-} s name grade markings extra
  for s in "${scenario_sources[@]}"; do
    IFS=: read -r name grade markings <<< "$s"
    extra=()
    [[ -n $markings ]] && extra=(--markings "$markings")
    "$cl" --store "$store" ingest "$dir/$name$suffix.jsonl" --source "$name" --reliability "$grade" --no-progress \
      "${extra[@]}" >/dev/null
  done
}

# seed_scenario CASELINK STORE DIR: the phone and account seeds of DIR/seeds.csv.
seed_scenario() {
  local cl=$1 store=$2 dir=$3 kind value reason
  tail -n +2 "$dir/seeds.csv" | while IFS=, read -r kind value reason; do
    case $kind in
      phone) "$cl" --store "$store" seed --phone "$value" --reason "$reason" >/dev/null ;;
      account) "$cl" --store "$store" seed --account "$value" --reason "$reason" >/dev/null ;;
    esac
  done
}

# scenario_store CASELINK PERSONS: a generated scenario of PERSONS people
# (seed 21) in ./data, ingested, seeded and resolved into ./store-PERSONS.db.
scenario_store() {
  local cl=$1 persons=$2
  rm -rf data
  "$cl" generate data --persons "$persons" --seed 21 >/dev/null
  ingest_scenario "$cl" "store-$persons.db" data
  seed_scenario "$cl" "store-$persons.db" data
  "$cl" --store "store-$persons.db" resolve >/dev/null
}

# serve_store CASELINK STORE USERS PORT LOG: starts `caselink serve` on
# 127.0.0.1:PORT in the background (its pid in $server, killed when the script
# exits) and returns once /v1/health answers.
serve_store() {
  local cl=$1 store=$2 users=$3 port=$4 log=$5
  "$cl" --store "$store" serve --users "$users" --listen "127.0.0.1:$port" > "$log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$port/v1/health" && return 0
    sleep 0.5
  done
  echo "serve_store: nothing answers on port $port (see $log)" >&2
  return 1
}

# write_mix_lua FILE TOKEN ENTITY NAME: wrk's script for the mixed reads of
# one user: a triage page, ENTITY's case, the queue, stats and screening NAME,
# one after another on each connection.
write_mix_lua() {
  cat > "$1" <<LUA
local paths = {"/v1/triage?limit=50", "/v1/cases/$3", "/v1/queue?limit=50", "/v1/stats"}
local i = 0
wrk.headers["Authorization"] = "Bearer $2"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  if i % 5 == 0 then return wrk.format("POST", "/v1/screen", nil, '{"name": "$4"}') end
  return wrk.format("GET", paths[(i % 5)])
end
LUA
}
