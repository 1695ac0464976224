#!/usr/bin/env bash
# Quick start on a fresh machine: install, build, then run `shoal up` (a Docker engine is installed and
# started when none is reachable; a demo service answers on http://127.0.0.1:8080/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build
exec node packages/cli/bin/shoal.js up "$@"
