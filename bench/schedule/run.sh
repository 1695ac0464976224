#!/usr/bin/env bash
# Scheduler benchmark: builds the api package and the bench (with the manager decision code it imports), then runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -b packages/api
npx tsc -p bench/schedule/tsconfig.json
exec node --expose-gc bench/schedule/dist/bench/schedule/run.js "$@"
