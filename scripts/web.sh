#!/usr/bin/env bash
# Installs the workbench's npm packages, as web/package-lock.json pins them,
# and builds it into web/dist, where `caselink serve` finds it. Needs node
# and npm (scripts/setup.sh installs Debian's where the machine has none).
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund --loglevel=error
npm run build
