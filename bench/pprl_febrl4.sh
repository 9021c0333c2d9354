#!/usr/bin/env bash
# Privacy-preserving linkage on FEBRL4 (issue 25): encode dataset4a and
# dataset4b separately with clkhash's FEBRL schema and the known secret,
# check every encoding equals the one clkhash made, link one to one, and
# report pairwise precision, recall and F1 at several thresholds (truth:
# rec-N-org is rec-N-dup-0). Then encoding speed on 200,000 records whose
# fields are drawn independently from FEBRL's (one thread and every core),
# and link speed on them.
#   bench/pprl_febrl4.sh [BUILD] [WORK]
set -euo pipefail
BUILD=${1:-build}
WORK=${2:-/tmp/caselink-pprl}
DATA=$(cd "$(dirname "$0")/../../shared/data" && pwd)
CASELINK=$(cd "$BUILD" && pwd)/caselink
SCHEMA=$DATA/clkhash_febrl4/febrl_schema_v3_final.json
mkdir -p "$WORK"
printf 'caselink-interop-test-secret' > "$WORK/secret"
chmod 600 "$WORK/secret"

echo "== encode FEBRL4 (clkhash's schema and secret)"
for side in a b; do
  "$CASELINK" pprl encode "$DATA/febrl/dataset4$side.csv" --schema "$SCHEMA" --secret-file "$WORK/secret" \
    -o "$WORK/4$side.clk.csv"
done
python3 - "$WORK" "$DATA" <<'PY'
import sys
work, data = sys.argv[1], sys.argv[2]
for side in "ab":
    def rows(path):
        with open(path) as f:
            next(f)
            return dict(line.strip().split(",", 1) for line in f if line.strip())
    mine = rows(f"{work}/4{side}.clk.csv")
    theirs = rows(f"{data}/clkhash_febrl4/dataset4{side}.clk.csv")
    same = sum(mine.get(k) == v for k, v in theirs.items())
    print(f"dataset4{side}: {same} of {len(theirs)} encodings equal clkhash's ({len(mine)} made)")
PY

f1() {  # links.csv -> precision recall F1 against rec-N-org = rec-N-dup-0 (5,000 true pairs)
  python3 - "$1" <<'PY'
import sys
tp = fp = 0
with open(sys.argv[1]) as f:
    next(f)
    for line in f:
        a, b, _ = line.strip().split(",")
        if a.rsplit("-org", 1)[0] + "-dup-0" == b:
            tp += 1
        else:
            fp += 1
p = tp / (tp + fp) if tp + fp else 0.0
r = tp / 5000
f1 = 2 * p * r / (p + r) if p + r else 0.0
print(f"links {tp + fp}: precision {p:.4f} recall {r:.4f} F1 {f1:.4f}")
PY
}

echo "== link one to one (greedy), our encodings"
for t in 0.60 0.70 0.80 0.85 0.90; do
  printf 'threshold %s: ' "$t"
  "$CASELINK" pprl link "$WORK/4a.clk.csv" "$WORK/4b.clk.csv" --threshold "$t" --one-to-one -o "$WORK/links.csv" \
    2> "$WORK/link.err"
  f1 "$WORK/links.csv"
  sed 's/^/    /' "$WORK/link.err"
done
echo "== the same with clkhash's own encodings, one thread, threshold 0.70"
"$CASELINK" pprl link "$DATA/clkhash_febrl4/dataset4a.clk.csv" "$DATA/clkhash_febrl4/dataset4b.clk.csv" \
  --threshold 0.70 --one-to-one --threads 1 -o "$WORK/links.csv"
f1 "$WORK/links.csv"

echo "== hardening against frequency attacks: the best F1 over thresholds 0.50-0.95 (each option alone)"
for opt in "--balanced" "--flip 0.02" "--flip 0.05" "--salt-field state"; do
  for side in a b; do
    # shellcheck disable=SC2086
    "$CASELINK" pprl encode "$DATA/febrl/dataset4$side.csv" --schema "$SCHEMA" --secret-file "$WORK/secret" \
      -o "$WORK/h4$side.clk.csv" $opt 2>/dev/null
  done
  best=""
  for t in 0.50 0.55 0.60 0.65 0.70 0.75 0.80 0.85 0.90 0.95; do
    "$CASELINK" pprl link "$WORK/h4a.clk.csv" "$WORK/h4b.clk.csv" --threshold "$t" --one-to-one -o "$WORK/links.csv" 2>/dev/null
    line="threshold $t: $(f1 "$WORK/links.csv")"
    f=${line##*F1 }
    if [ -z "$best" ] || [ "$(echo "$f > ${best##*F1 }" | bc -l)" = 1 ]; then best=$line; fi
  done
  printf '%-20s %s\n' "$opt" "$best"
done

echo "== encoding speed: 200,000 records with FEBRL's fields drawn independently"
python3 - "$DATA" "$WORK/big.csv" <<'PY'
import csv, random, sys
random.seed(25)
data, out = sys.argv[1], sys.argv[2]
cols = None
values = []
for name in ("dataset3", "dataset4a", "dataset4b"):
    with open(f"{data}/febrl/{name}.csv") as f:
        rows = list(csv.reader(f))
    cols = [h.strip() for h in rows[0]]
    values.extend([[x.strip() for x in r] for r in rows[1:]])
columns = list(zip(*values))
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for i in range(200_000):
        row = [random.choice(c) for c in columns]
        row[0] = f"rec-{i}"
        row[9] = f"{random.randint(1920, 2005)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
        w.writerow(row)
PY
for threads in 1 0; do
  "$CASELINK" pprl encode "$WORK/big.csv" --schema "$SCHEMA" --secret-file "$WORK/secret" -o "$WORK/big.clk.csv" \
    --threads "$threads" 2>&1 | sed "s/^/threads ${threads/#0/all}: /"
done
echo "== link speed: the 200,000 against FEBRL dataset4b's 5,000 at 0.85 (one thread, then every core)"
for threads in 1 0; do
  "$CASELINK" pprl link "$WORK/big.clk.csv" "$WORK/4b.clk.csv" --threshold 0.85 --one-to-one --threads "$threads" \
    -o /dev/null 2>&1 | sed "s/^/threads ${threads/#0/all}: /"
done
