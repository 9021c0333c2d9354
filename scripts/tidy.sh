#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy: bug patterns, needless copies, implicit
# one-argument constructors) over the engine and the command, from the
# build's compile_commands.json. On demand, not in CI: it takes long on two
# cores. Arguments narrow it to files matching these regexes (e.g. src/store).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/compile_commands.json ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
run-clang-tidy -quiet -p build -j "$(nproc)" "${@:-src/}"
