#!/usr/bin/env bash
# Times `caselink generate` at 10K, 100K and 1M persons and prints the files'
# sizes. usage: bench/generate_bench.sh [BUILD_DIR=build] [WORK_DIR=/tmp/caselink-gen-bench] [SIZES...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
work="${2:-/tmp/caselink-gen-bench}"
shift $(( $# > 2 ? 2 : $# )) || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
echo "caselink generate benchmark: $(nproc) cores, $(date -u +%F), $(git -C "$root" rev-parse --short HEAD)"
printf '%10s %10s %10s %12s %10s\n' persons seconds records MB persons/s
for n in "${sizes[@]}"; do
  rm -rf "$work" && mkdir -p "$work"
  t0=$(date +%s.%N)
  "$build/caselink" generate "$work/out" --persons "$n" --seed 1 >/dev/null
  t1=$(date +%s.%N)
  records=$(cat "$work"/out/*.jsonl | wc -l)
  mb=$(du -sm "$work/out" | cut -f1)
  python3 -c "print(f'{$n:>10} {$t1-$t0:>10.2f} {$records:>10} {$mb:>12} {$n/($t1-$t0):>10,.0f}')"
  ls -l "$work/out" | awk 'NR>1 {printf "%24s %12d bytes\n", $9, $5}'
done
rm -rf "$work"
