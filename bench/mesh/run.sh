#!/usr/bin/env bash
# Routing-mesh benchmark: wrk direct to an HTTP backend, through a shoal Mesh and through HAProxy (nbthread 1, tcp
# mode), side by side in one run, keep-alive and a new connection per request; then idle connections held through
# the mesh and their RSS.
#   bash bench/mesh/run.sh [--duration 10] [--connections 50] [--rounds 3] [--modes keepalive,close]
#                          [--targets direct,mesh,haproxy] [--idle 9800] [--json FILE] [--mesh-node-flags '...']
#                          [--mesh-on thread|inline] [--backend node|nginx]
# Installs wrk, haproxy and nginx (apt) when missing; leaves no process or temp dir behind, also when interrupted.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v wrk >/dev/null || ! command -v haproxy >/dev/null || ! command -v nginx >/dev/null; then
  apt-get install -y wrk haproxy nginx >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk haproxy nginx >/dev/null; }
fi
npm run build --silent   # tsc -b: incremental, a no-op when nothing changed

STATE=$(mktemp -d /tmp/shoal-mesh-bench-XXXXXX)
finish() {
  # run.mjs kills its children; the mesh and the backend also exit when it goes. This catches a SIGKILLed run's HAProxy
  # and nginx.
  for pid in haproxy.pid nginx.pid; do
    if [ -f "$STATE/$pid" ]; then kill "$(cat "$STATE/$pid")" 2>/dev/null || true; fi
  done
  rm -rf "$STATE"
}
trap finish EXIT
trap 'exit 130' INT TERM HUP
node bench/mesh/run.mjs --state "$STATE" "$@"
