#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds caselink with its tests, and runs
# the quick suite (every test labelled `quick`; `ctest -L slow` runs the rest),
# the workbench's browser tests among them. The store's tests run on both
# backends: on the PostgreSQL server $CASELINK_TEST_PG names, or else on a
# throw-away cluster started here (scripts/pg_cluster.sh) and stopped after.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/web.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASELINK_BUILD_TESTS=ON -DCASELINK_WERROR=ON
cmake --build build -j "$(nproc)"
if [ -z "${CASELINK_TEST_PG:-}" ]; then
  pg_dir=$(mktemp -d /tmp/caselink-pg.XXXXXX)
  trap 'bash scripts/pg_cluster.sh stop "$pg_dir"' EXIT
  CASELINK_TEST_PG=$(bash scripts/pg_cluster.sh start "$pg_dir")
  export CASELINK_TEST_PG
fi
ctest --test-dir build -L quick --output-on-failure -j "$(nproc)"
