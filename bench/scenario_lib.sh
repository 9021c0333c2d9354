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
