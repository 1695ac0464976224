#!/usr/bin/env bash
# Converge benchmark: shoal vs a raw docker create+start loop vs Docker Swarm mode, on this machine's engine.
#   bash bench/converge/run.sh [--rounds 3] [--replicas 50] [--variants raw,raw-seq,swarm,shoal-1,shoal-3] [--json FILE]
#   bash bench/converge/run.sh --profile      # one profiled shoal-1 and shoal-3 run: where the time goes
# Cleans up everything it started (processes, containers, temp dirs, the swarm) even when interrupted.
set -euo pipefail
cd "$(dirname "$0")/../.."

docker info >/dev/null 2>&1 || { echo "no Docker engine at /var/run/docker.sock (start one: dockerd >/tmp/dockerd.log 2>&1 &)" >&2; exit 1; }
npm run build --silent   # tsc -b: incremental, a no-op when nothing changed
# The demo image, built locally as the e2e tests do (no registry needed).
node --input-type=module -e "
  const { ensureDemoImage, ensureEngine } = await import('./packages/cli/dist/setup/index.js');
  const engine = await ensureEngine({ dataDir: (await import('node:os')).tmpdir(), say: (l) => console.error(l) });
  await ensureDemoImage(engine.address, (l) => console.error(l));
"

STATE=$(mktemp -d /tmp/shoal-converge-state-XXXXXX)
finish() {
  # run.mjs cleans up after itself; this catches what a SIGKILLed run left (processes, containers, swarm, dirs).
  node bench/converge/cleanup.mjs "$STATE" || true
  rm -rf "$STATE"
}
trap finish EXIT
trap 'exit 130' INT TERM HUP
node bench/converge/run.mjs --state "$STATE" "$@"
