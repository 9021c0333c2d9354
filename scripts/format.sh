#!/usr/bin/env bash
# Formats caselink's C++ with .clang-format (Debian's clang-format-14);
# --check changes nothing and fails on a file that is not formatted (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
# Tracked files and new ones not yet added (a new file is checked before its
# first commit), not what .gitignore leaves out.
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cc' '*.h')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror "${files[@]}"
  echo "format: ${#files[@]} files formatted as .clang-format says"
else
  clang-format -i "${files[@]}"
fi
