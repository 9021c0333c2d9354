#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds the caselink command and runs
# `caselink demo`: a generated scenario end to end on the embedded store.
# Extra arguments go to `caselink demo` (e.g. --persons 20000; --serve ends by
# serving the demo store with the workbench, printing its address and tokens).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/web.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$(nproc)" --target caselink
./build/caselink demo "$@"
