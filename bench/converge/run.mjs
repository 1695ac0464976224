// Converge benchmark: from "create 50 replicas" to 50 containers running, side by side on one engine:
//   raw       the engine's floor: dockerode create+start of 50 containers, all at once (as shoal's agent can:
//             one task runner per task, dockerode on Node's default agent with no socket limit)
//   raw-seq   the same, one container after the other
//   swarm     Docker Swarm mode on the same engine (swarm init, service create --replicas 50, swarm leave)
//   shoal-1   shoal: a manager and 1 agent (127.0.0.2) on the same engine
//   shoal-3   shoal: a manager and 3 agents (127.0.0.2-4) on the same engine
// Targets: shoal within 1.2x of raw, and faster than swarm. Entry: bench/converge/run.sh [--rounds N] [--profile]
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Dockerode from 'dockerode';
import { cleanup } from './cleanup.mjs';
import { freePort, now, processes, sleep, waitFor as pollUntil } from '../lib/processes.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOAL = join(ROOT, 'packages/cli/bin/shoal.js');
const IMAGE = 'shoal-demo:1';
const DOCKER_SOCK = '/var/run/docker.sock';
const POLL_MS = 50;
const TIMEOUT_MS = 180_000;

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    replicas: { type: 'string', default: '50' },
    variants: { type: 'string', default: 'raw,raw-seq,swarm,shoal-1,shoal-3' },
    profile: { type: 'boolean', default: false },
    state: { type: 'string' },
    json: { type: 'string' },
  },
});
const N = Number(opt.replicas);
const ROUNDS = Number(opt.rounds);
const VARIANTS = opt.variants.split(',').filter(Boolean);
for (const v of VARIANTS) if (!/^(raw|raw-seq|raw-c\d+|swarm|shoal-1|shoal-3)$/.test(v)) throw new Error(`unknown variant ${v}`);
const stateDir = opt.state ?? mkdtempSync(join(tmpdir(), 'shoal-converge-state-'));
mkdirSync(stateDir, { recursive: true });
const runId = Date.now().toString(36);
const RAW_LABEL = `shoal.bench.converge=${runId}`;
const SWARM_SERVICE = `convbench${runId}`;
const docker = new Dockerode({ socketPath: DOCKER_SOCK });

const state = { pids: [], dirs: [], labels: [RAW_LABEL], swarm: { initialisedByUs: false, service: null, gwbridgeExisted: true } };
const save = () => writeFileSync(join(stateDir, 'state.json'), JSON.stringify(state));
save();

const say = (line) => process.stderr.write(`${line}\n`);
const fmt = (ms) => (ms / 1000).toFixed(2);
const { run, must, daemon: startDaemon, stopDaemon } = processes(state, save);
const daemon = (args, logFile) => startDaemon(SHOAL, args, logFile);
const waitFor = (what, check, timeoutMs = TIMEOUT_MS, every = POLL_MS) => pollUntil(what, check, timeoutMs, every);

// ---------------------------------------------------------------------------------------------------------------
// Engine helpers

async function running(label, filter = () => true) {
  const list = await docker.listContainers({ filters: { label: [label], status: ['running'] } });
  return list.filter(filter).length;
}

async function existing(labels) {
  let n = 0;
  for (const label of labels) n += (await docker.listContainers({ all: true, filters: { label: [label] } })).length;
  return n;
}

async function removeAll(label) {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
}

async function pool(items, concurrency, fn) {
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; await fn(items[i], i); } };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Waits until the engine has no container left with any of the labels (the previous variant's teardown). */
async function settle(labels) {
  await waitFor('containers to be removed', async () => (await existing(labels)) === 0, 120_000, 200);
  await sleep(1_000);
}

// ---------------------------------------------------------------------------------------------------------------
// Variants. Each returns { converged, listed, extra } in ms from its t0.

/** The engine's floor: create+start of N containers through dockerode, `concurrency` at a time. */
async function rawLoop(concurrency, client = docker) {
  const t0 = now();
  await pool(Array.from({ length: N }, (_, i) => i + 1), concurrency, async (slot) => {
    // The same shape of request as shoal's agent sends (labels, stop timeout, no restart policy).
    const c = await client.createContainer({
      name: `convraw.${slot}.${runId}${Math.floor(Math.random() * 1e9).toString(36)}`,
      Image: IMAGE,
      Env: [],
      Labels: { 'shoal.bench.converge': runId, 'shoal.slot': String(slot) },
      StopTimeout: 10,
      HostConfig: { RestartPolicy: { Name: 'no' } },
    });
    await c.start();
  });
  const loopDone = now() - t0;
  const converged = (await waitFor('raw containers running', async () => ((await running(RAW_LABEL)) === N ? now() : 0))) - t0;
  await removeAll(RAW_LABEL);
  return { converged, listed: loopDone, extra: {} };
}

async function swarmInit() {
  const info = await docker.info();
  const before = info.Swarm?.LocalNodeState;
  if (before !== 'inactive') throw new Error(`the engine is already in swarm state "${before}": not touching it`);
  state.swarm.gwbridgeExisted = (await docker.listNetworks({ filters: { name: ['docker_gwbridge'] } })).length > 0;
  state.swarm.initialisedByUs = true;
  save();
  await must('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377']);
}

async function swarmVariant() {
  await swarmInit();
  try {
    state.swarm.service = SWARM_SERVICE;
    save();
    const label = `com.docker.swarm.service.name=${SWARM_SERVICE}`;
    const t0 = now();
    await must('docker', ['service', 'create', '--detach', '--no-resolve-image', '--name', SWARM_SERVICE, '--replicas', String(N), IMAGE]);
    const created = now() - t0;
    const converged = (await waitFor('swarm containers running', async () => ((await running(label)) === N ? now() : 0))) - t0;
    const listed = (await waitFor(`docker service ls ${N}/${N}`, async () => {
      const out = await must('docker', ['service', 'ls', '--filter', `name=${SWARM_SERVICE}`, '--format', '{{.Replicas}}']);
      return out.trim() === `${N}/${N}` ? now() : 0;
    })) - t0;
    await must('docker', ['service', 'rm', SWARM_SERVICE]);
    const tRm = now();
    await waitFor('swarm containers removed', async () => (await existing([label])) === 0, 120_000, 100);
    return { converged, listed, extra: { created, removed: now() - tRm } };
  } finally {
    await cleanup(state, say);
    save();
  }
}

/** A manager and `agents` agents as child processes; returns what is needed to drive and tear it down. */
async function startShoal(agents, dockerHost) {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-converge-'));
  state.dirs.push(dir);
  save();
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const env = { SHOAL_HOST: host };
  const procs = [daemon(['manager', '--listen', host, '--data-dir', join(dir, 'manager'), '--hostname', 'bench-manager',
    '--dispatcher-heartbeat', '1s', '--log-level', 'info'], join(dir, 'manager.log'))];
  await waitFor('manager to answer', async () => (await run(process.execPath, [SHOAL, 'info'], env)).code === 0, 30_000, 200);
  const token = (await must(process.execPath, [SHOAL, 'join-token', 'worker', '-q'], env)).trim();
  const nodeIds = [];
  for (let i = 1; i <= agents; i++) {
    procs.push(daemon(['agent', '--join', host, '--token', token, '--advertise', `127.0.0.${i + 1}`, '--data-dir', join(dir, `agent-${i}`),
      '--hostname', `bench-node-${i}`, '--log-level', 'info', ...(dockerHost ? ['--docker-host', dockerHost] : [])], join(dir, `agent-${i}.log`)));
  }
  await waitFor(`${agents} agent(s) ready`, async () => {
    const r = await run(process.execPath, [SHOAL, 'node', 'ls', '--format', 'json'], env);
    if (r.code !== 0) return false;
    const ready = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((n) => n.Hostname.startsWith('bench-node-') && n.Status === 'Ready');
    return ready.length === agents;
  }, 60_000, 200);
  for (let i = 1; i <= agents; i++) {
    const [node] = JSON.parse(await must(process.execPath, [SHOAL, 'node', 'inspect', `bench-node-${i}`], env));
    nodeIds.push(node.id);
    state.labels.push(`shoal.node.id=${node.id}`);
  }
  save();
  return { dir, host, env, procs, nodeIds };
}

async function stopShoal(c) {
  for (const p of c.procs.slice().reverse()) await stopDaemon(p);
  await cleanup(state, say); // removes any container of these nodes and the temp dir
  state.labels = [RAW_LABEL];
  save();
}

async function shoalVariant(agents, opts = {}) {
  const c = await startShoal(agents, opts.dockerHost);
  try {
    const mine = new Set(c.nodeIds);
    const ours = (ct) => mine.has(ct.Labels['shoal.node.id']);
    const label = 'shoal.service.name=bench';
    await opts.onStarted?.(c);
    const t0 = now();
    const create = must(process.execPath, [SHOAL, 'service', 'create', '-d', '--name', 'bench', '--replicas', String(N), IMAGE], c.env)
      .then(() => now() - t0);
    const converged = (await waitFor('shoal containers running', async () => ((await running(label, ours)) === N ? now() : 0))) - t0;
    const created = await create;
    const listed = (await waitFor(`shoal service ls ${N}/${N}`, async () => {
      const r = await run(process.execPath, [SHOAL, 'service', 'ls', '--format', 'json'], c.env);
      const svc = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((s) => s.Name === 'bench');
      return svc?.Replicas === `${N}/${N}` ? now() : 0;
    })) - t0;
    const perNode = {};
    for (const ct of await docker.listContainers({ filters: { label: [label], status: ['running'] } })) {
      if (ours(ct)) perNode[ct.Labels['shoal.node.id']] = (perNode[ct.Labels['shoal.node.id']] ?? 0) + 1;
    }
    const profile = await opts.onConverged?.(c, t0);
    await must(process.execPath, [SHOAL, 'service', 'rm', 'bench'], c.env);
    const tRm = now();
    await waitFor('shoal containers removed', async () => (await existing(c.nodeIds.map((id) => `shoal.node.id=${id}`))) === 0, 120_000, 100);
    return { converged, listed, extra: { created, removed: now() - tRm, perNode: Object.values(perNode) }, profile };
  } finally {
    await stopShoal(c);
  }
}

// raw-cN: the raw loop with at most N calls in flight, to see how the engine's floor depends on concurrency.
const variantFn = (v) => VARIANT_FNS[v] ?? (/^raw-c(\d+)$/.test(v) ? () => rawLoop(Number(v.slice(5))) : undefined);
const VARIANT_FNS = {
  raw: () => rawLoop(N),
  'raw-seq': () => rawLoop(1),
  swarm: () => swarmVariant(),
  'shoal-1': () => shoalVariant(1),
  'shoal-3': () => shoalVariant(3),
};

// ---------------------------------------------------------------------------------------------------------------
// Profile: where does shoal's time go? A logging proxy in front of the engine records every Docker call of the
// agents (and of a raw loop, for the same proxy overhead); a poller of the control API records when each task's
// states show up in the manager's store.

/** A unix-socket proxy to the engine that timestamps each HTTP request and its response headers. */
async function engineProxy(sockPath) {
  const calls = [];
  const self = { calls, stopped: false };
  const server = createServer((client) => {
    const up = connect(DOCKER_SOCK);
    const pending = [];
    client.on('data', (buf) => {
      for (const m of buf.toString('latin1').matchAll(/(?:^|\r\n)(GET|POST|DELETE|PUT|HEAD) (\S+) HTTP\/1\.[01]\r\n/g)) {
        const rec = { method: m[1], path: m[2], start: now(), end: 0, status: 0 };
        pending.push(rec);
        if (!self.stopped) calls.push(rec);
      }
      up.write(buf);
    });
    up.on('data', (buf) => {
      for (const m of buf.toString('latin1').matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)) {
        const rec = pending.shift();
        if (rec) { rec.status = Number(m[1]); rec.end = now(); }
      }
      client.write(buf);
    });
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
  });
  await new Promise((r) => server.listen(sockPath, r));
  self.client = new Dockerode({ socketPath: sockPath });
  self.close = () => new Promise((r) => server.close(r));
  return self;
}

/** The container name a Docker API call is about, if any. */
function callTarget(path) {
  const p = path.replace(/^\/v[\d.]+/, '');
  const create = /^\/containers\/create\?.*name=([^&]+)/.exec(p);
  if (create) return { op: 'create', name: decodeURIComponent(create[1]) };
  const m = /^\/containers\/([^/?]+)\/(json|start|wait|stop)/.exec(p);
  if (m) return { op: m[2] === 'json' ? 'inspect' : m[2], name: decodeURIComponent(m[1]) };
  const rm = /^\/containers\/([^/?]+)(\?|$)/.exec(p);
  if (rm) return { op: 'remove', name: decodeURIComponent(rm[1]) };
  if (/^\/images\/.+\/json/.test(p)) return { op: 'image-inspect', name: '' };
  return { op: p.split('?')[0], name: '' };
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))] : NaN; };
const stats = (xs) => ({ min: Math.min(...xs), med: pct(xs, 0.5), max: Math.max(...xs) });
const row = (name, xs) => { const s = stats(xs); return `| ${name} | ${fmt(s.min)} | ${fmt(s.med)} | ${fmt(s.max)} |`; };

/** The largest number of calls of an operation in flight at the engine at the same time. */
function maxInFlight(calls) {
  const ev = calls.flatMap((c) => [[c.start, 1], [c.end || Infinity, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0, max = 0;
  for (const [, d] of ev) { cur += d; max = Math.max(max, cur); }
  return max;
}

function callSummary(calls, t0) {
  const byOp = {};
  for (const c of calls) {
    const { op } = callTarget(c.path);
    (byOp[op] ??= []).push(c);
  }
  const lines = ['| engine call | count | max in flight | first sent (s) | last answered (s) | latency min / median / max (ms) |', '| --- | --- | --- | --- | --- | --- |'];
  for (const [op, cs] of Object.entries(byOp)) {
    const done = cs.filter((c) => c.end);
    const lat = done.map((c) => c.end - c.start);
    lines.push(`| ${op} | ${cs.length} | ${maxInFlight(cs)} | ${fmt(Math.min(...cs.map((c) => c.start)) - t0)} | ${done.length ? fmt(Math.max(...done.map((c) => c.end)) - t0) : '-'} | ${
      lat.length ? `${Math.round(Math.min(...lat))} / ${Math.round(pct(lat, 0.5))} / ${Math.round(Math.max(...lat))}` : '-'} |`);
  }
  return lines.join('\n');
}

async function profileShoal(agents) {
  const proxy = await engineProxy(join(stateDir, `engine-${agents}.sock`));
  const seen = new Map(); // task id -> { slot, createdAt, states: { STATE: { seen, ts } } }
  let polling = false;
  let pollErr = '';
  const api = await import(join(ROOT, 'packages/api/dist/index.js'));
  let client;
  const result = await shoalVariant(agents, {
    dockerHost: `unix://${join(stateDir, `engine-${agents}.sock`)}`,
    onStarted: async (c) => {
      client = api.controlClient(c.host);
      proxy.calls.length = 0; // only the calls from service create on
      polling = true;
      void (async () => {
        while (polling) {
          try {
            const { tasks } = await api.call(client.listTasks.bind(client), { serviceRefs: [], nodeRefs: [] }, 5_000);
            const t = now();
            for (const task of tasks) {
              if (task.serviceName !== 'bench') continue;
              const rec = seen.get(task.id) ?? { slot: task.slot, createdAt: Number(task.meta.createdAt), states: {} };
              seen.set(task.id, rec);
              rec.states[task.status.state] ??= { seen: t, ts: Number(task.status.timestamp) };
            }
          } catch (e) { pollErr = e.message; }
          await sleep(20);
        }
      })();
    },
    onConverged: async (_c, t0) => { polling = false; proxy.stopped = true; await sleep(50); client.close(); return { t0 }; },
  });
  await proxy.close();
  const t0 = result.profile.t0;
  const tasks = [...seen.entries()];
  const per = (fn) => tasks.map(([id, r]) => fn(id, r)).filter((x) => x !== undefined && Number.isFinite(x));
  const callsFor = new Map();
  for (const c of proxy.calls) {
    const { op, name } = callTarget(c.path);
    if (!name) continue;
    const id = name.split('.').pop();
    const m = callsFor.get(id) ?? {};
    (m[op] ??= []).push(c);
    callsFor.set(id, m);
  }
  const first = (id, op, field = 'start') => callsFor.get(id)?.[op]?.[0]?.[field];
  const last = (id, op, field = 'end') => { const l = callsFor.get(id)?.[op]; return l?.[l.length - 1]?.[field]; };
  const rel = (x) => (x === undefined ? undefined : x - t0);
  const out = [];
  out.push(`### shoal-${agents} profile (${tasks.length} tasks; times in s from \`service create\` spawned; converged ${fmt(result.converged)} s; engine calls recorded until then)`);
  if (pollErr) out.push(`(poller error seen: ${pollErr})`);
  out.push('', '| milestone (per task) | min | median | max |', '| --- | --- | --- | --- |');
  out.push(row('task created in the store (meta.createdAt)', per((_, r) => rel(r.createdAt))));
  out.push(row('ASSIGNED (scheduler timestamp)', per((_, r) => rel(r.states.ASSIGNED?.ts))));
  out.push(row('agent\'s first engine call for the task (container inspect)', per((id) => rel(first(id, 'inspect')))));
  out.push(row('image inspect sent (count = calls below)', proxy.calls.filter((c) => callTarget(c.path).op === 'image-inspect').map((c) => c.start - t0)));
  out.push(row('create sent', per((id) => rel(first(id, 'create')))));
  out.push(row('create answered', per((id) => rel(first(id, 'create', 'end')))));
  out.push(row('start sent', per((id) => rel(first(id, 'start')))));
  out.push(row('start answered', per((id) => rel(first(id, 'start', 'end')))));
  out.push(row('last inspect answered (RUNNING status built)', per((id) => rel(last(id, 'inspect')))));
  out.push(row('container inspects per task before RUNNING (count)', per((id) => (callsFor.get(id)?.inspect?.length ?? 0) * 1000)));
  out.push(row('RUNNING (agent timestamp)', per((_, r) => rel(r.states.RUNNING?.ts))));
  out.push(row('RUNNING visible in the manager store (poll)', per((_, r) => rel(r.states.RUNNING?.seen))));
  out.push('', '| gap (per task) | min | median | max |', '| --- | --- | --- | --- |');
  out.push(row('created -> ASSIGNED', per((_, r) => r.states.ASSIGNED && r.states.ASSIGNED.ts - r.createdAt)));
  out.push(row('ASSIGNED -> first engine call', per((id, r) => r.states.ASSIGNED && first(id, 'inspect') - r.states.ASSIGNED.ts)));
  out.push(row('first engine call -> create sent', per((id) => first(id, 'create') - first(id, 'inspect'))));
  out.push(row('create latency', per((id) => first(id, 'create', 'end') - first(id, 'create'))));
  out.push(row('create answered -> start sent', per((id) => first(id, 'start') - first(id, 'create', 'end'))));
  out.push(row('start latency', per((id) => first(id, 'start', 'end') - first(id, 'start'))));
  out.push(row('start answered -> RUNNING (agent)', per((id, r) => r.states.RUNNING && r.states.RUNNING.ts - first(id, 'start', 'end'))));
  out.push(row('RUNNING (agent) -> in the store', per((_, r) => r.states.RUNNING && r.states.RUNNING.seen - r.states.RUNNING.ts)));
  out.push('', callSummary(proxy.calls, t0));
  return out.join('\n');
}

async function profileRaw() {
  const proxy = await engineProxy(join(stateDir, 'engine-raw.sock'));
  const t0 = now();
  const r = await rawLoop(N, proxy.client);
  const calls = proxy.calls.filter((c) => c.start >= t0);
  await proxy.close();
  return `### raw profile through the same proxy (loop done ${fmt(r.listed)} s, converged ${fmt(r.converged)} s)\n\n${callSummary(calls, t0)}`;
}

// ---------------------------------------------------------------------------------------------------------------

async function machine() {
  const sh = async (cmd, args) => (await run(cmd, args)).stdout.trim();
  const v = await docker.version();
  return {
    nproc: await sh('nproc', []),
    memory: (await sh('free', ['-g'])).split('\n')[1]?.replace(/\s+/g, ' '),
    kernel: await sh('uname', ['-r']),
    docker: `${v.Version} (API ${v.ApiVersion})`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

async function main() {
  const m = await machine();
  say(`machine: ${JSON.stringify(m)}`);
  await docker.getImage(IMAGE).inspect().catch(() => { throw new Error(`image ${IMAGE} is missing (run.sh builds it)`); });
  const cli = [];
  for (let i = 0; i < 3; i++) { const t = now(); await must(process.execPath, [SHOAL, '--version']); cli.push(now() - t); }
  say(`shoal CLI start-up (shoal --version): ${cli.map((x) => Math.round(x)).join(', ')} ms`);

  if (opt.profile) {
    const parts = [await profileRaw()];
    await settle([RAW_LABEL]);
    for (const agents of VARIANTS.filter((v) => v.startsWith('shoal-')).map((v) => Number(v.split('-')[1]))) {
      parts.push(await profileShoal(agents));
      await sleep(1_000);
    }
    process.stdout.write(`${parts.join('\n\n')}\n`);
    return;
  }

  const results = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  const skipped = {};
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const v of order) {
      if (skipped[v]) continue;
      await settle([RAW_LABEL, `com.docker.swarm.service.name=${SWARM_SERVICE}`]);
      say(`round ${round + 1}/${ROUNDS}: ${v}...`);
      try {
        // The machine may be shared: record its load and the other containers running when the variant starts.
        const load1 = loadavg()[0];
        const others = (await docker.listContainers()).length;
        const r = await variantFn(v)();
        Object.assign(r.extra, { load1: Number(load1.toFixed(2)), othersRunning: others });
        results[v].push(r);
        say(`  ${v}: ${N} running after ${fmt(r.converged)} s; listed ${fmt(r.listed)} s ${JSON.stringify(r.extra, (_, x) => (typeof x === 'number' ? Math.round(x) : x))}`);
      } catch (err) {
        say(`  ${v} failed: ${err.message}`);
        if (v === 'swarm') skipped[v] = err.message; // e.g. swarm init refused on this kernel: keep going without it
        else throw err;
      }
    }
  }

  const med = (v) => stats(results[v].map((r) => r.converged)).med;
  const lines = [
    `converge: ${N} replicas, ${ROUNDS} rounds (order alternated), seconds from the create request to ${N} containers running`,
    '',
    '| variant | median | min | max | "listed" median (see notes) | vs raw (median) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const v of VARIANTS) {
    if (!results[v].length) { lines.push(`| ${v} | failed: ${skipped[v] ?? '?'} | | | | |`); continue; }
    const s = stats(results[v].map((r) => r.converged));
    const l = stats(results[v].map((r) => r.listed));
    lines.push(`| ${v} | ${fmt(s.med)} | ${fmt(s.min)} | ${fmt(s.max)} | ${fmt(l.med)} | ${results.raw?.length ? `${(s.med / med('raw')).toFixed(2)}x` : '-'} |`);
  }
  const loads = Object.values(results).flat().map((r) => r.extra.load1);
  const others = Object.values(results).flat().map((r) => r.extra.othersRunning);
  if (loads.length) lines.push('', `1-min load average at the start of each measurement: ${Math.min(...loads)}-${Math.max(...loads)}; other containers running on the engine: ${Math.min(...others)}-${Math.max(...others)}`);
  lines.push('', 'listed: raw = the create+start loop returned; swarm = `docker service ls` shows N/N; shoal = `shoal service ls` shows N/N.');
  lines.push(`shoal CLI start-up (\`shoal --version\`): ${cli.map((x) => Math.round(x)).join(', ')} ms — included in the shoal numbers, as \`docker service create\` is in swarm's.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opt.json) writeFileSync(opt.json, JSON.stringify({ machine: m, replicas: N, rounds: ROUNDS, cliStartupMs: cli, results, skipped }, null, 2));
}

let exiting = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (exiting) return;
    exiting = true;
    say(`${sig}: cleaning up...`);
    cleanup(state, say).finally(() => { save(); process.exit(130); });
  });
}

try {
  await main();
} catch (err) {
  say(`converge failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  if (!exiting) { await cleanup(state, say); save(); }
}
