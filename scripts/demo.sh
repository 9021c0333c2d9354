#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds the caselink command and runs
# `caselink demo`: a generated scenario end to end on the embedded store.
# Extra arguments go to `caselink demo` (e.g. --persons 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc)" --target caselink
./build/caselink demo "$@"
