#!/usr/bin/env bash
# Rolling-update benchmark: shoal vs Docker Swarm mode on this machine's engine, the same update side by side.
#   bash bench/update/run.sh [--trials 3] [--replicas 30] [--parallelism 5] [--monitor 1] [--agents 1]
#                            [--sides shoal,swarm,raw] [--proxy] [--alt OTHER_TREE] [--json FILE]
# Builds two local image tags (no registry), prints a table; cleans up everything it started (processes, containers,
# services, the swarm, the images, temp dirs) even when interrupted.
set -euo pipefail
cd "$(dirname "$0")/../.."

npm run build --silent   # tsc -b: incremental, a no-op when nothing changed
# A Docker engine, started (dockerd, as the e2e set-up does) if none answers; it is shared and left running.
node --input-type=module -e "
  const { ensureEngine } = await import('./packages/cli/dist/setup/index.js');
  await ensureEngine({ dataDir: (await import('node:os')).tmpdir(), say: (l) => console.error(l) });
"

STATE=$(mktemp -d /tmp/shoal-update-state-XXXXXX)
finish() {
  # run.mjs cleans up after itself; this catches what a SIGKILLed run left (processes, containers, swarm, images, dirs).
  node bench/update/cleanup.mjs "$STATE" || true
  rm -rf "$STATE"
}
trap finish EXIT
trap 'exit 130' INT TERM HUP
node bench/update/run.mjs --state "$STATE" "$@"
