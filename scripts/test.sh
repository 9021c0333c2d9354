#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds caselink with its tests, and runs
# the quick suite (every test labelled `quick`; `ctest -L slow` runs the rest),
# the workbench's browser tests among them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/web.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASELINK_BUILD_TESTS=ON -DCASELINK_WERROR=ON
cmake --build build -j "$(nproc)"
ctest --test-dir build -L quick --output-on-failure -j "$(nproc)"
