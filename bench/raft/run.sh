#!/usr/bin/env bash
# Raft benchmarks, after building the project (tsc -b: incremental, a no-op when nothing changed).
#   bash bench/raft/run.sh commit [--seconds 10] [--concurrency 100] [--latency 2000] [--failovers 20] [--floor 2000]
#   bash bench/raft/run.sh transport [--messages N] [--entries E] [--bytes B]
#   bash bench/raft/run.sh restart [--tasks 100000] [--batch 1000] [--churn 5000] [--churn-size 10]
# commit.mjs kills its member processes and removes its temp dir itself, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
which=${1:-commit}
shift || true
case "$which" in
  commit|transport|restart) ;;
  *) echo "usage: bash bench/raft/run.sh commit|transport|restart [options]" >&2; exit 2 ;;
esac
npm run build --silent
exec node "bench/raft/$which.mjs" "$@"
