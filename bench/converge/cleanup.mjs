// Removes everything a converge run started, from the state file the run keeps up to date: its processes, the
// containers it created (raw loop, swarm service, shoal nodes), the swarm it initialised and its temp dirs.
// Idempotent; run.mjs calls it on exit and on signals, run.sh calls it again from its trap (e.g. after a SIGKILL).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';

const execFileP = promisify(execFile);
const docker = new Dockerode({ socketPath: process.env.CONVERGE_DOCKER_SOCK || '/var/run/docker.sock' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function removeLabelled(label) {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  return list.length;
}

async function swarmState() {
  try { return (await docker.info()).Swarm?.LocalNodeState ?? 'inactive'; } catch { return 'unknown'; }
}

/** state: { pids: number[], dirs: string[], labels: string[], swarm: { initialisedByUs, service, gwbridgeExisted } } */
export async function cleanup(state, say = (l) => process.stderr.write(`cleanup: ${l}\n`)) {
  // 1. Processes we started (manager, agents, CLI calls still running): TERM, then KILL after 5 s.
  const pids = (state.pids ?? []).filter(alive);
  for (const pid of pids) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
  for (const pid of pids.filter(alive)) { say(`killing ${pid}`); try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  state.pids = [];

  // 2. The swarm we initialised: its service, then leave (only if this run initialised it).
  const sw = state.swarm ?? {};
  if (sw.service) {
    await execFileP('docker', ['service', 'rm', sw.service]).catch(() => undefined);
    for (let i = 0; i < 150; i++) {
      const left = await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${sw.service}`] } }).catch(() => []);
      if (left.length === 0) break;
      await sleep(200);
    }
  }
  if (sw.initialisedByUs && (await swarmState()) !== 'inactive') {
    say('leaving the swarm');
    await execFileP('docker', ['swarm', 'leave', '--force']).catch((e) => say(`swarm leave failed: ${e.stderr || e.message}`));
  }
  if (sw.service) await removeLabelled(`com.docker.swarm.service.name=${sw.service}`).catch(() => 0);
  if (sw.initialisedByUs && sw.gwbridgeExisted === false) {
    // swarm creates docker_gwbridge on first use and leaves it behind; remove it if it was not there before.
    await docker.getNetwork('docker_gwbridge').remove().catch(() => undefined);
  }
  state.swarm = { ...sw, service: null, initialisedByUs: false };

  // 3. Every container carrying one of our labels (raw loop, shoal nodes of this run).
  for (const label of state.labels ?? []) {
    const n = await removeLabelled(label).catch(() => 0);
    if (n) say(`removed ${n} container(s) labelled ${label}`);
  }

  // 4. Temp dirs.
  for (const dir of state.dirs ?? []) rmSync(dir, { recursive: true, force: true });
  state.dirs = [];
}

// Standalone: node cleanup.mjs STATE_DIR
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const file = `${process.argv[2]}/state.json`;
  if (existsSync(file)) await cleanup(JSON.parse(readFileSync(file, 'utf8')));
}
