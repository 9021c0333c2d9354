#!/usr/bin/env bash
# Formats caselink's C++ with .clang-format (Debian's clang-format-14);
# --check changes nothing and fails on a file that is not formatted (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cc' '*.h')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror "${files[@]}"
  echo "format: ${#files[@]} files formatted as .clang-format says"
else
  clang-format -i "${files[@]}"
fi
