#!/usr/bin/env bash
# Entity-resolution accuracy on the labelled public sets: FEBRL dataset3
# (dedup), dataset4a+4b (linking), Splink's fake_1000 and historical_50k, each in a fresh
# store: ingest, resolve, eval clusters. Unsupervised: no label is used to fit.
#   bash bench/er_accuracy.sh [BUILD_DIR] [DATA_DIR]
set -euo pipefail
build=${1:-build}
data=${2:-../shared/data}
bin="$build/caselink"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
febrl=$data/febrl
m=mappings/febrl.toml
t0=$(date +%s.%N)
"$bin" --store "$work/f3.db" ingest "$febrl/dataset3.csv" --source febrl3 --mapping $m --rejects-dir "$work" >/dev/null 2>&1 || true
"$bin" --store "$work/f3.db" resolve | sed -n 2p
echo "== FEBRL dataset3 (dedup)"
"$bin" --store "$work/f3.db" eval clusters --truth "$febrl/dataset3.csv" --record-column rec_id \
  --cluster-column rec_id --cluster-pattern '^(rec-[0-9]+)' --id-prefix febrl3-
for p in 4a 4b; do
  "$bin" --store "$work/f4.db" ingest "$febrl/dataset$p.csv" --source febrl$p --mapping $m --rejects-dir "$work" >/dev/null 2>&1 || true
done
"$bin" --store "$work/f4.db" resolve | sed -n 2p
echo "== FEBRL dataset4a+4b (linking)"
"$bin" --store "$work/f4.db" eval clusters --truth "$febrl/dataset4a.csv" --truth "$febrl/dataset4b.csv" \
  --record-column rec_id --cluster-column rec_id --cluster-pattern '^(rec-[0-9]+)' \
  --id-prefix febrl4a- --id-prefix febrl4b-
sp=$data/splink_fake1000/fake_1000_from_splink_demos.csv
"$bin" --store "$work/s.db" ingest "$sp" --source splink --mapping mappings/splink_fake1000.toml --rejects-dir "$work" >/dev/null 2>&1 || true
"$bin" --store "$work/s.db" resolve | sed -n 2p
echo "== Splink fake_1000"
"$bin" --store "$work/s.db" eval clusters --truth "$sp" --record-column unique_id --cluster-column cluster --id-prefix splink-
h=$data/splink_historical50k/historical_figures_with_errors_50k.csv
"$bin" --store "$work/h.db" ingest "$h" --source historical --mapping mappings/splink_historical50k.toml --rejects-dir "$work" >/dev/null 2>&1 || true
"$bin" --store "$work/h.db" resolve | sed -n 2p
echo "== Splink historical_figures_with_errors_50k"
"$bin" --store "$work/h.db" eval clusters --truth "$h" --record-column unique_id --cluster-column cluster --id-prefix historical-
echo "total $(echo "$(date +%s.%N) - $t0" | bc) s"
