#!/usr/bin/env bash
# Leader failover as a user sees it: three `shoal manager` processes (the built binary) on loopback; kill -9 the
# leader, then write through a surviving manager until a write is acknowledged.
#   bash bench/failover/run.sh [--trials 20]
# failover.mjs kills its manager processes and removes its temp dir itself, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm run build --silent
exec node bench/failover/failover.mjs "$@"
