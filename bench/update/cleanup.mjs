// Removes everything an update-bench run started, from the state file the run keeps up to date: bench/converge's
// cleanup (processes, containers by label, the swarm service, `docker swarm leave --force`, docker_gwbridge if the
// swarm made it, temp dirs), then the two image tags the run built. Idempotent; run.mjs calls it after each trial, on
// exit and on signals; run.sh calls it again from its trap (e.g. after a SIGKILL).
import { existsSync, readFileSync } from 'node:fs';
import Dockerode from 'dockerode';
import { cleanup as convergeCleanup } from '../converge/cleanup.mjs';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

/** state: bench/converge's state plus images: string[]; { images: false } keeps the images (between trials). */
export async function cleanup(state, say = (l) => process.stderr.write(`cleanup: ${l}\n`), { images = true } = {}) {
  await convergeCleanup(state, say);
  if (!images) return;
  for (const image of state.images ?? []) {
    await docker.getImage(image).remove({ force: true }).catch((e) => { if (e.statusCode !== 404) say(`removing ${image}: ${e.message}`); });
  }
  state.images = [];
}

// Standalone: node cleanup.mjs STATE_DIR
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const file = `${process.argv[2]}/state.json`;
  if (existsSync(file)) await cleanup(JSON.parse(readFileSync(file, 'utf8')));
}
