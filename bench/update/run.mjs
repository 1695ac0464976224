// Rolling-update benchmark: shoal vs Docker Swarm mode on the same engine, the same update, in one run.
//   30 replicas of tag A, created with --update-parallelism 5 --update-delay 0s --update-monitor 1s
//   --update-order stop-first --update-failure-action pause; then `service update -d --image B` and time it until the
//   orchestrator reports the update completed.
// A third side, raw, does the same update through the Engine API with no think time (the engine's floor).
// Targets (issue 4): shoal's total <= swarm's; shoal's own overhead per batch <= 100 ms, measured two ways:
//   vs raw:            (total - raw total of the same trial) / batches;
//   by engine time:    (total - monitor - engine floor) / batches (--proxy: see engineSplit), from the engine's own
//                      timestamps of this very update plus the start calls seen at a proxy in front of the engine;
//                      and by engine calls, the same with each slot's stop timed at the proxy too.
// The engine's timestamps also split each side's time per slot (see slotTimes).
// Entry: bash bench/update/run.sh [--trials 3] [--replicas 30] [--parallelism 5] [--monitor 1] [--agents 1]
//                                 [--sides shoal,swarm,raw] [--proxy] [--alt OTHER_TREE] [--json FILE]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Dockerode from 'dockerode';
import { cleanup } from './cleanup.mjs';
import { freePort, now, processes, sleep, waitFor as pollUntil } from '../lib/processes.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOAL = join(ROOT, 'packages/cli/bin/shoal.js');
const POLL_MS = 50;
const TIMEOUT_MS = 180_000;

const { values: opt } = parseArgs({
  options: {
    trials: { type: 'string', default: '3' },
    replicas: { type: 'string', default: '30' },
    parallelism: { type: 'string', default: '5' },
    monitor: { type: 'string', default: '1' }, // seconds
    agents: { type: 'string', default: '1' },
    sides: { type: 'string', default: 'shoal,swarm,raw' },
    state: { type: 'string' },
    json: { type: 'string' },
    proxy: { type: 'boolean', default: false },
    alt: { type: 'string' }, // another shoal tree, built, measured as the side shoal-alt in the same trials
  },
});
const N = Number(opt.replicas);
const PAR = Number(opt.parallelism);
const MONITOR_MS = Number(opt.monitor) * 1000;
const BATCHES = Math.ceil(N / PAR);
const TRIALS = Number(opt.trials);
const AGENTS = Number(opt.agents);
const SIDES = opt.sides.split(',').filter(Boolean).concat(opt.alt ? ['shoal-alt'] : []);
for (const s of SIDES) if (!/^(shoal|swarm|raw|shoal-alt)$/.test(s)) throw new Error(`unknown side ${s}`);
const stateDir = opt.state ?? mkdtempSync(join(tmpdir(), 'shoal-update-state-'));
mkdirSync(stateDir, { recursive: true });
const runId = Date.now().toString(36);
const SERVICE = `updbench${runId}`; // one name for both sides; unique, so no other run's containers are counted
const IMAGE_REPO = 'shoal-bench-update';
const IMAGE_A = `${IMAGE_REPO}:a`;
const IMAGE_B = `${IMAGE_REPO}:b`;
// The same settings on both sides; flags spelled the same in both CLIs.
const UPDATE_FLAGS = ['--update-parallelism', String(PAR), '--update-delay', '0s', '--update-monitor', `${opt.monitor}s`,
  '--update-order', 'stop-first', '--update-failure-action', 'pause'];
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

const state = { pids: [], dirs: [], labels: [], images: [], swarm: { initialisedByUs: false, service: null, gwbridgeExisted: true } };
const save = () => writeFileSync(join(stateDir, 'state.json'), JSON.stringify(state));
save();

const say = (line) => process.stderr.write(`${line}\n`);
const fmt = (ms) => (ms / 1000).toFixed(2);
const { run, must, daemon: startDaemon, stopDaemon } = processes(state, save);
const daemon = (args, logFile, bin = SHOAL) => startDaemon(bin, args, logFile);
const waitFor = (what, check, timeoutMs = TIMEOUT_MS, every = POLL_MS) => pollUntil(what, check, timeoutMs, every);

// ---------------------------------------------------------------------------------------------------------------
// Images and engine timestamps

/** Tags A and B: the demo image's root filesystem and command (a shell that exits at once on SIGTERM), differing in a label. */
async function buildImages() {
  const { demoImageTar, isStaticElf, DEMO_CMD, engineRequest, engineAddress } = await import(join(ROOT, 'packages/cli/dist/setup/index.js'));
  const busybox = readFileSync('/bin/busybox');
  if (!isStaticElf(busybox)) throw new Error('/bin/busybox is not a static busybox (apt-get install -y busybox-static)');
  for (const tag of ['a', 'b']) {
    const image = `${IMAGE_REPO}:${tag}`;
    state.images.push(image);
    save();
    const q = new URLSearchParams({ fromSrc: '-', repo: IMAGE_REPO, tag });
    q.append('changes', `CMD ${JSON.stringify(DEMO_CMD)}`);
    q.append('changes', `LABEL shoal.bench.update=${tag}`);
    const res = await engineRequest(engineAddress(), 'POST', `/images/create?${q}`, demoImageTar(busybox), 60_000);
    const text = res.body.toString('utf8');
    if (res.status !== 200 || /"error"/.test(text)) throw new Error(`building ${image} failed: ${res.status} ${text.trim()}`);
  }
  const [a, b] = await Promise.all([IMAGE_A, IMAGE_B].map((i) => docker.getImage(i).inspect()));
  if (a.Id === b.Id) throw new Error('tags A and B are the same image');
  say(`images: ${IMAGE_A} ${a.Id.slice(7, 19)}, ${IMAGE_B} ${b.Id.slice(7, 19)}; CMD ${JSON.stringify(a.Config.Cmd)}`);
}

/** The engine's RFC 3339 nanosecond timestamps as fractional unix ms. */
function engineMs(ts) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(ts);
  if (!m) throw new Error(`unparsable engine time ${ts}`);
  return Date.parse(`${m[1]}Z`) + Number(`0.${m[2] ?? '0'}`) * 1000;
}

/** Records the engine's container kill/die/stop events (with their nanosecond times) while it runs. */
async function recordEvents() {
  const events = [];
  const stream = await docker.getEvents({ filters: { type: ['container'], event: ['kill', 'die', 'stop'] } });
  let buf = '';
  stream.on('data', (chunk) => {
    buf += chunk.toString('utf8');
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) { const e = JSON.parse(line); events.push({ id: e.id ?? e.Actor?.ID, action: e.Action ?? e.status, at: e.timeNano / 1e6, signal: e.Actor?.Attributes?.signal }); }
    }
  });
  stream.on('error', () => undefined);
  await sleep(100); // the subscription is in place before the update is issued
  return { events, stop: () => stream.destroy() };
}

/**
 * --proxy: a unix-socket proxy in front of the engine that timestamps the container start/stop requests going
 * through it (as bench/converge's profile): shoal's agent and the raw client use it, so the engine's start of a
 * container created ahead is known from the moment its start request reached the engine's socket.
 */
async function engineProxy(sockPath) {
  const calls = [];
  const server = createServer((client) => {
    const up = connect('/var/run/docker.sock');
    const pending = [];
    client.on('data', (buf) => {
      for (const m of buf.toString('latin1').matchAll(/(?:^|\r\n)(GET|POST|DELETE|PUT|HEAD) (\S+) HTTP\/1\.[01]\r\n/g)) {
        const rec = { method: m[1], path: m[2], start: now(), end: 0 };
        pending.push(rec);
        const t = /^(?:\/v[\d.]+)?\/containers\/([^/?]+)\/(start|stop)/.exec(m[2]);
        if (t && m[1] === 'POST') calls.push(Object.assign(rec, { target: decodeURIComponent(t[1]), op: t[2] }));
      }
      up.write(buf);
    });
    up.on('data', (buf) => {
      for (const _ of buf.toString('latin1').matchAll(/(?:^|\r\n)HTTP\/1\.[01] \d{3}/g)) { const rec = pending.shift(); if (rec) rec.end = now(); }
      client.write(buf);
    });
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
  });
  await new Promise((r) => server.listen(sockPath, r));
  return { calls, client: new Dockerode({ socketPath: sockPath }), host: `unix://${sockPath}`, close: () => new Promise((r) => server.close(r)) };
}

// CPU time (user + system, ms) of these processes so far, from /proc; a process gone meanwhile counts 0.
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch { /* exited */ }
  }
  return ticks * TICK_MS;
}
/** The engine's long-lived processes, dockerd and containerd (swarm runs inside dockerd; shims come and go). */
function enginePids() {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try { return /^(dockerd|containerd)$/.test(readFileSync(`/proc/${pid}/comm`, 'utf8').trim()); } catch { return false; }
  });
}

/** The side's running containers, by slot: { slot: { id, name, image } }. */
async function containersBySlot(filter, slotOf) {
  const list = await docker.listContainers({ filters: { label: [filter.label], status: ['running'] } });
  const out = {};
  for (const c of list.filter(filter.ours)) out[slotOf(c.Labels)] = { id: c.Id, name: c.Names[0]?.replace(/^\//, ''), image: c.Image };
  return out;
}

/**
 * Per slot, from the engine's own timestamps (event times in ns, container Created / State.StartedAt):
 *   stop    = the old container's `stop` event - its `kill` event (signal 15): from the engine receiving the stop to
 *             the stop being done (exit, then the engine's own clean-up: network, mounts) — what an agent waits for;
 *   restart = the new container's State.StartedAt - the old one's `stop`: the orchestrator's turnaround (the agent
 *             reports the stop, the manager lets the new task start, the agent is told) plus the engine's start of a
 *             container created ahead — both orchestrators create it while the old one stops, so the engine never
 *             records when its start began; the raw side, which starts it the moment the stop returns, gives the
 *             engine's part;
 *   gap     = new Created - old `stop` (negative: created ahead, as both orchestrators and the raw side do).
 */
async function slotTimes(before, after, events, calls) {
  const slots = [];
  const ev = (id, action) => events.find((e) => e.id === id && e.action === action);
  for (const [slot, old] of Object.entries(before)) {
    const neu = after[slot];
    if (!neu) throw new Error(`slot ${slot}: no running container after the update`);
    const kill = ev(old.id, 'kill');
    const stopped = ev(old.id, 'stop');
    const die = ev(old.id, 'die');
    if (!kill || !stopped || !die) throw new Error(`slot ${slot}: no kill/die/stop event for the old container ${old.id.slice(0, 12)}`);
    const info = await docker.getContainer(neu.id).inspect();
    const created = engineMs(info.Created);
    const started = engineMs(info.State.StartedAt);
    const slotRec = { slot, kill: kill.at, stopped: stopped.at, signal: kill.signal, created, started,
      exit: die.at - kill.at, stop: stopped.at - kill.at, restart: started - stopped.at, gap: created - stopped.at };
    if (calls) {
      // --proxy: the start call seen at the proxy splits `restart` into the orchestrator's turnaround and the engine's start.
      const name = info.Name.replace(/^\//, '');
      const req = calls.find((c) => c.op === 'start' && (c.target === name || c.target === info.Id || info.Id.startsWith(c.target)));
      if (!req) throw new Error(`slot ${slot}: no start request seen at the proxy for ${name}`);
      const stopCall = calls.find((c) => c.op === 'stop' && (c.target === old.name || old.id.startsWith(c.target)));
      if (!stopCall) throw new Error(`slot ${slot}: no stop request seen at the proxy for ${old.id.slice(0, 12)}`);
      Object.assign(slotRec, { startReq: req.start, turnaround: req.start - stopped.at, start: req.end - req.start,
        stopReq: stopCall.start, stopCall: stopCall.end - stopCall.start });
    }
    slots.push(slotRec);
  }
  return slots;
}

/**
 * --proxy only (the engine's start of each new container known): the brief's decomposition,
 *   overhead per batch = (total - monitor - engine floor) / batches,
 * where a slot's engine time = stop (kill -> stop done) + start (the start call at the engine's socket, request to
 * answer; State.StartedAt falls a few ms before the answer), and
 * the engine floor is how long these very slot times take at PAR slots at once with no time in between: both
 * updaters run a sliding window (a slot is taken as soon as one frees), so the floor is the makespan of PAR workers
 * taking the slots in the order their stops were requested (for strict batches it would be Σ over the batches of
 * the longest slot, also printed: it is ≥ the makespan).
 */
function engineSplit(slots, total) {
  const byKill = [...slots].sort((a, b) => a.kill - b.kill);
  const engine = makespan(byKill.map((s) => s.stop + s.start));
  let batched = 0;
  for (let i = 0; i < byKill.length; i += PAR) batched += Math.max(...byKill.slice(i, i + PAR).map((s) => s.stop + s.start));
  // The same with both calls timed at the proxy: a slot's stop is its whole stop call, request to answer, which also
  // holds the engine's work before its `kill` event (the events-based stop starts there).
  const engineCalls = makespan([...slots].sort((a, b) => a.stopReq - b.stopReq).map((s) => s.stopCall + s.start));
  return { engine, batched, engineOverheadPerBatch: (total - MONITOR_MS - engine) / BATCHES,
    engineCalls, engineCallsOverheadPerBatch: (total - MONITOR_MS - engineCalls) / BATCHES,
    start: stats(slots.map((s) => s.start)), stopCall: stats(slots.map((s) => s.stopCall)), turnaround: stats(slots.map((s) => s.turnaround)) };
}

/** How long slots of these lengths take on PAR workers, each slot taken by the first worker free, in this order. */
function makespan(lengths) {
  const free = Array(PAR).fill(0);
  for (const l of lengths) { const i = free.indexOf(Math.min(...free)); free[i] += l; }
  return Math.max(...free);
}

/**
 * One timed update, the same for both sides: the update is issued with the side's CLI (`service update -d --image B`),
 * then the orchestrator's update status is polled through its API every 50 ms (swarm: Engine API service inspect,
 * UpdateStatus.State; shoal: control API GetService, updateStatus.state) until "completed".
 */
async function timedUpdate({ filter, slotOf, issue, status, proxy, pids = [] }) {
  const before = await containersBySlot(filter, slotOf);
  if (Object.keys(before).length !== N) throw new Error(`${Object.keys(before).length} running before the update, not ${N}`);
  const rec = await recordEvents();
  try {
    const cpu0 = { side: cpuMs(pids), engine: cpuMs(enginePids()) };
    const t0 = now();
    let issueErr;
    const cli = issue().then(() => now() - t0, (e) => { issueErr = e; });
    let last;
    const done = await waitFor('update completed', async () => {
      if (issueErr) throw issueErr;
      const s = await status();
      last = s;
      if (s.state === 'paused' || s.state?.startsWith('rollback')) throw new Error(`update ${s.state}: ${s.message}`);
      return s.state === 'completed' && s.startedAt >= t0 - 1_000 ? now() : 0;
    }, TIMEOUT_MS, POLL_MS);
    const total = done - t0;
    const cpu = { side: cpuMs(pids) - cpu0.side, engine: cpuMs(enginePids()) - cpu0.engine };
    const cliMs = await cli;
    await sleep(300); // the last events are delivered
    const after = await containersBySlot(filter, slotOf);
    const wrong = Object.values(after).filter((c) => c.image !== IMAGE_B);
    if (Object.keys(after).length !== N || wrong.length) throw new Error(`after the update: ${Object.keys(after).length} running, ${wrong.length} not on ${IMAGE_B}`);
    const slots = await slotTimes(before, after, rec.events, proxy?.calls);
    // Handoff: a slot after the first PAR waits for a running slot to free the window; from the latest new container
    // started before its stop request to that request (the raw side: the time to send the next stop).
    const byKill = [...slots].sort((a, b) => a.kill - b.kill);
    const handoff = byKill.slice(PAR).map((s) => s.kill - Math.max(...slots.map((o) => o.started).filter((t) => t <= s.kill)));
    return {
      total, cli: cliMs,
      orchestrator: last.completedAt - last.startedAt, // the orchestrator's own started -> completed
      firstKill: Math.min(...slots.map((s) => s.kill)) - t0, // issued -> the engine's first stop request
      rollout: done - Math.min(...slots.map((s) => s.kill)), // the engine's first stop request -> completed seen
      tail: done - Math.max(...slots.map((s) => s.started)), // last new container started -> completed seen
      exit: stats(slots.map((s) => s.exit)), stop: stats(slots.map((s) => s.stop)), restart: stats(slots.map((s) => s.restart)), gap: stats(slots.map((s) => s.gap)),
      handoff: stats(handoff.filter(Number.isFinite)),
      ...(proxy ? engineSplit(slots, done - t0) : {}),
      signals: [...new Set(slots.map((s) => s.signal))],
      cpu,
    };
  } finally {
    rec.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// raw: the engine's floor for the same update — a client with no think time doing exactly what stop-first asks
// through the Engine API (dockerode, as shoal's agent), the way both orchestrators schedule it: at most PAR slots at
// once, a slot taken as soon as one is free; per slot the new container is created while the old one stops and is
// started the moment the stop returns; after the last one runs the monitor window is waited out.

async function rawTrial() {
  const proxy = await newProxy();
  const client = proxy?.client ?? docker;
  const label = `shoal.bench.update.raw=${runId}`;
  state.labels.push(label);
  save();
  const filter = { label, ours: () => true };
  const slotOf = (labels) => labels['shoal.slot'];
  const create = (slot, image) => client.createContainer({ name: `updraw.${slot}.${runId}${Math.floor(Math.random() * 1e9).toString(36)}`, Image: image,
    Labels: { 'shoal.bench.update.raw': runId, 'shoal.slot': String(slot) }, StopTimeout: 10, HostConfig: { RestartPolicy: { Name: 'no' } } });
  try {
    const slots = Array.from({ length: N }, (_, i) => i + 1);
    const old = new Map(await Promise.all(slots.map(async (s) => { const c = await create(s, IMAGE_A); await c.start(); return [s, c]; })));
    await waitFor(`raw: ${N} running`, async () => Object.keys(await containersBySlot(filter, slotOf)).length === N);
    await sleep(2_000);
    let startedAt = 0;
    let completedAt = 0;
    return await timedUpdate({
      filter, slotOf, proxy,
      issue: async () => {
        startedAt = now();
        await pool(slots, PAR, async (s) => {
          const [c] = await Promise.all([create(s, IMAGE_B), old.get(s).stop({ t: 10 })]);
          await c.start();
        });
        await sleep(MONITOR_MS);
        completedAt = now();
      },
      status: async () => ({ state: completedAt ? 'completed' : 'updating', startedAt, completedAt }),
    });
  } finally {
    await proxy?.close();
    await cleanup(state, say, { images: false });
    state.labels = [];
    save();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Swarm

async function swarmTrial() {
  const info = await docker.info();
  if (info.Swarm?.LocalNodeState !== 'inactive') throw new Error(`the engine is already in swarm state "${info.Swarm?.LocalNodeState}": not touching it`);
  state.swarm.gwbridgeExisted = (await docker.listNetworks({ filters: { name: ['docker_gwbridge'] } })).length > 0;
  state.swarm.initialisedByUs = true;
  save();
  try {
    await must('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377']);
    state.swarm.service = SERVICE;
    save();
    const label = `com.docker.swarm.service.name=${SERVICE}`;
    // No published ports (no ingress network: nothing that needs IPVS/overlay); no registry: --no-resolve-image.
    await must('docker', ['service', 'create', '--detach', '--no-resolve-image', '--name', SERVICE, '--replicas', String(N), ...UPDATE_FLAGS, IMAGE_A]);
    const filter = { label, ours: () => true };
    await waitFor(`swarm: ${N} running`, async () => Object.keys(await containersBySlot(filter, swarmSlot)).length === N);
    await waitFor(`docker service ls ${N}/${N}`, async () =>
      (await must('docker', ['service', 'ls', '--filter', `name=${SERVICE}`, '--format', '{{.Replicas}}'])).trim() === `${N}/${N}`);
    await sleep(2_000);
    const svc = docker.getService(SERVICE);
    return await timedUpdate({
      filter, slotOf: swarmSlot,
      issue: () => must('docker', ['service', 'update', '--detach', '--no-resolve-image', '--image', IMAGE_B, SERVICE]),
      status: async () => {
        const u = (await svc.inspect()).UpdateStatus ?? {};
        return { state: u.State, message: u.Message, startedAt: u.StartedAt ? engineMs(u.StartedAt) : 0, completedAt: u.CompletedAt ? engineMs(u.CompletedAt) : 0 };
      },
    });
  } finally {
    await cleanup(state, say, { images: false }); // service rm, swarm leave --force, docker_gwbridge if we made it
    save();
  }
}

/** Swarm's container labels carry the task name SERVICE.SLOT.TASKID. */
const swarmSlot = (labels) => labels['com.docker.swarm.task.name'].split('.')[1];

// ---------------------------------------------------------------------------------------------------------------
// shoal

/** A manager and AGENTS agents as child processes (as bench/converge). */
async function startShoal(dockerHost, bin) {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-update-'));
  state.dirs.push(dir);
  save();
  const host = `127.0.0.1:${await freePort()}`;
  const env = { SHOAL_HOST: host };
  const procs = [daemon(['manager', '--listen', host, '--data-dir', join(dir, 'manager'), '--hostname', 'bench-manager',
    '--dispatcher-heartbeat', '1s', '--log-level', 'info'], join(dir, 'manager.log'), bin)];
  await waitFor('manager to answer', async () => (await run(process.execPath, [bin, 'info'], env)).code === 0, 30_000, 200);
  const token = (await must(process.execPath, [bin, 'join-token', 'worker', '-q'], env)).trim();
  for (let i = 1; i <= AGENTS; i++) {
    procs.push(daemon(['agent', '--join', host, '--token', token, '--advertise', `127.0.0.${i + 1}`, '--data-dir', join(dir, `agent-${i}`),
      '--hostname', `bench-node-${i}`, '--log-level', 'info', ...(dockerHost ? ['--docker-host', dockerHost] : [])], join(dir, `agent-${i}.log`), bin));
  }
  await waitFor(`${AGENTS} agent(s) ready`, async () => {
    const r = await run(process.execPath, [bin, 'node', 'ls', '--format', 'json'], env);
    if (r.code !== 0) return false;
    return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((n) => n.Hostname.startsWith('bench-node-') && n.Status === 'Ready').length === AGENTS;
  }, 60_000, 200);
  const nodeIds = [];
  for (let i = 1; i <= AGENTS; i++) {
    const [node] = JSON.parse(await must(process.execPath, [bin, 'node', 'inspect', `bench-node-${i}`], env));
    nodeIds.push(node.id);
    state.labels.push(`shoal.node.id=${node.id}`);
  }
  save();
  return { dir, host, env, procs, nodeIds };
}

let proxies = 0;
const newProxy = () => (opt.proxy ? engineProxy(join(stateDir, `engine-${++proxies}.sock`)) : undefined);

/** bin: the shoal binary to run (--alt: another tree's, e.g. a git worktree of another commit, as side shoal-alt). */
async function shoalTrial(bin = SHOAL) {
  const proxy = await newProxy();
  const c = await startShoal(proxy?.host, bin);
  const api = await import(join(ROOT, 'packages/api/dist/index.js'));
  const client = api.controlClient(c.host);
  try {
    const mine = new Set(c.nodeIds);
    const filter = { label: `shoal.service.name=${SERVICE}`, ours: (ct) => mine.has(ct.Labels['shoal.node.id']) };
    const slotOf = (labels) => labels['shoal.slot'];
    await must(process.execPath, [bin, 'service', 'create', '-d', '--name', SERVICE, '--replicas', String(N), ...UPDATE_FLAGS, IMAGE_A], c.env);
    await waitFor(`shoal: ${N} running`, async () => Object.keys(await containersBySlot(filter, slotOf)).length === N);
    await waitFor(`shoal service ls ${N}/${N}`, async () => {
      const r = await run(process.execPath, [bin, 'service', 'ls', '--format', 'json'], c.env);
      return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((s) => s.Name === SERVICE)?.Replicas === `${N}/${N}`;
    }, 60_000, 200);
    await sleep(2_000);
    return await timedUpdate({
      filter, slotOf, proxy, pids: c.procs.map((p) => p.pid),
      issue: () => must(process.execPath, [bin, 'service', 'update', '-d', '--image', IMAGE_B, SERVICE], c.env),
      status: async () => {
        const u = (await api.call(client.getService.bind(client), { ref: SERVICE }, 5_000)).updateStatus ?? {};
        return { state: u.state, message: u.message, startedAt: Number(u.startedAt), completedAt: Number(u.completedAt) };
      },
    });
  } finally {
    client.close();
    await run(process.execPath, [bin, 'service', 'rm', SERVICE], c.env);
    await waitFor('shoal containers removed', async () => (await docker.listContainers({ all: true, filters: { label: c.nodeIds.map((id) => `shoal.node.id=${id}`) } })).length === 0, 60_000, 200)
      .catch((e) => say(`  ${e.message}`));
    for (const p of c.procs.slice().reverse()) await stopDaemon(p);
    await proxy?.close();
    await cleanup(state, say, { images: false }); // containers of these nodes and the temp dir; the images stay
    state.labels = [];
    save();
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function pool(items, concurrency, fn) {
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; await fn(items[i], i); } };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))] : NaN; };
const stats = (xs) => ({ min: Math.min(...xs), med: pct(xs, 0.5), max: Math.max(...xs) });
const ms = (x) => String(Math.round(x));

/** How long the image takes to stop on SIGTERM (engine kill -> die), outside any orchestrator. */
async function stopCheck() {
  const rec = await recordEvents();
  const label = `shoal.bench.update.check=${runId}`;
  state.labels.push(label);
  save();
  const out = [];
  try {
    for (let i = 0; i < 3; i++) {
      const ct = await docker.createContainer({ Image: IMAGE_A, Labels: { 'shoal.bench.update.check': runId } });
      await ct.start();
      await sleep(500);
      const t = now();
      await ct.stop({ t: 10 });
      const api = now() - t;
      await sleep(100);
      const kill = rec.events.find((e) => e.id === ct.id && e.action === 'kill');
      const die = rec.events.find((e) => e.id === ct.id && e.action === 'die');
      const stopped = rec.events.find((e) => e.id === ct.id && e.action === 'stop');
      out.push({ api, exit: die.at - kill.at, engine: stopped.at - kill.at, exitCode: (await ct.inspect()).State.ExitCode });
      await ct.remove({ force: true });
    }
  } finally {
    rec.stop();
    state.labels = state.labels.filter((l) => l !== label);
    save();
  }
  return out;
}

/** One trial's numbers on one line. */
function line(r) {
  return `total ${fmt(r.total)} s (issue ${ms(r.cli)} ms, orchestrator ${fmt(r.orchestrator)} s)` +
    `${r.overheadPerBatch !== undefined ? `, overhead/batch vs raw ${ms(r.overheadPerBatch)} ms (from the first stop on ${ms(r.rolloutOverheadPerBatch)} ms)` : ''}; first stop ${ms(r.firstKill)} ms after issue; ` +
    `per slot (median / max) exit ${ms(r.exit.med)}/${ms(r.exit.max)}, stop ${ms(r.stop.med)}/${ms(r.stop.max)}, stop->new running ${ms(r.restart.med)}/${ms(r.restart.max)}, ` +
    `gap ${ms(r.gap.med)}/${ms(r.gap.max)}, handoff ${ms(r.handoff.med)}/${ms(r.handoff.max)} ms; last running -> completed ${ms(r.tail)} ms` +
    `; CPU during the update: the side's daemons ${ms(r.cpu.side)} ms, dockerd + containerd ${ms(r.cpu.engine)} ms` +
    (r.engine !== undefined ? `; proxy: engine start ${ms(r.start.med)}/${ms(r.start.max)}, turnaround stop->start request ${ms(r.turnaround.med)}/${ms(r.turnaround.max)} ms, ` +
      `engine floor ${fmt(r.engine)} s (Σ of strict batches ${fmt(r.batched)} s), overhead/batch by engine time ${ms(r.engineOverheadPerBatch)} ms; ` +
      `stop call ${ms(r.stopCall.med)}/${ms(r.stopCall.max)} ms, floor by engine calls ${fmt(r.engineCalls)} s, overhead/batch by engine calls ${ms(r.engineCallsOverheadPerBatch)} ms` : '');
}

async function machine() {
  const sh = async (cmd, args) => (await run(cmd, args)).stdout.trim();
  const v = await docker.version();
  return { nproc: await sh('nproc', []), kernel: await sh('uname', ['-r']), docker: `${v.Version} (API ${v.ApiVersion})`, node: process.version, date: new Date().toISOString() };
}

async function main() {
  const m = await machine();
  say(`machine: ${JSON.stringify(m)}`);
  await buildImages();
  const check = await stopCheck();
  say(`image stop on SIGTERM (docker stop; engine kill->die, kill->stop, API call): ${check.map((c) => `${ms(c.exit)}/${ms(c.engine)}/${ms(c.api)} ms exit ${c.exitCode}`).join(', ')}`);

  const cliStart = [];
  for (let i = 0; i < 3; i++) { const t = now(); await must(process.execPath, [SHOAL, '--version']); cliStart.push(now() - t); }
  const dockerStart = [];
  for (let i = 0; i < 3; i++) { const t = now(); await must('docker', ['--version']); dockerStart.push(now() - t); }
  say(`CLI start-up: shoal --version ${cliStart.map(ms).join(', ')} ms; docker --version ${dockerStart.map(ms).join(', ')} ms`);

  const results = Object.fromEntries(SIDES.map((s) => [s, []]));
  const failed = Object.fromEntries(SIDES.map((s) => [s, []]));
  for (let trial = 0; trial < TRIALS; trial++) {
    const order = trial % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) {
      await sleep(1_000);
      say(`trial ${trial + 1}/${TRIALS}: ${side}...`);
      const load1 = Number(loadavg()[0].toFixed(2));
      const others = (await docker.listContainers()).length;
      try {
        const r = await { swarm: () => swarmTrial(), shoal: () => shoalTrial(), raw: () => rawTrial(),
          'shoal-alt': () => shoalTrial(join(resolve(opt.alt), 'packages/cli/bin/shoal.js')) }[side]();
        Object.assign(r, { side, trial: trial + 1, at: now(), load1, othersRunning: others });
        results[side].push(r);
        say(`  ${side}: ${line(r)}; load ${load1}`);
      } catch (err) {
        say(`  ${side} failed: ${err.message}`);
        failed[side].push(err.message);
      }
    }
  }

  // Overhead per batch, paired with the raw floor of the same trial.
  const rawOf = (trial) => results.raw?.find((r) => r.trial === trial);
  for (const side of ['shoal', 'swarm', 'shoal-alt']) {
    for (const r of results[side] ?? []) {
      const raw = rawOf(r.trial);
      if (!raw) continue;
      r.overheadPerBatch = (r.total - raw.total) / BATCHES;
      r.rolloutOverheadPerBatch = (r.rollout - raw.rollout) / BATCHES; // without the one-off issue -> first stop
    }
  }
  const med = (rs, f) => stats(rs.map(f)).med;
  const lines = [
    `rolling update: ${N} replicas ${IMAGE_A} -> ${IMAGE_B}, parallelism ${PAR}, delay 0s, monitor ${opt.monitor}s, stop-first, failure action pause; ` +
    `${TRIALS} trials (order alternated); shoal with ${AGENTS} agent(s); ${BATCHES} batches`,
    '',
    '| side | trials | total median (s) | total range (s) | overhead/batch vs raw, median (range) (ms) | the same from the first stop on (ms) | orchestrator started→completed (s) | issue→first stop (ms) | per slot: stop / stop→new running / gap / handoff (ms) | last running→completed (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const proxyLines = ['', 'with --proxy (shoal\'s agent and the raw client through the timestamping proxy; swarm has no Docker API calls to see):', '',
    '| side | engine floor (s) | overhead/batch by engine time, median (range) (ms) | floor by engine calls (s) | overhead/batch by engine calls, median (range) (ms) | per slot: stop call / engine start / turnaround stop done→start request (ms) |',
    '| --- | --- | --- | --- | --- | --- |'];
  for (const side of SIDES) {
    const rs = (results[side] ?? []).filter((r) => r.engine !== undefined);
    if (!rs.length) continue;
    const e = stats(rs.map((r) => r.engineOverheadPerBatch));
    const c = stats(rs.map((r) => r.engineCallsOverheadPerBatch));
    proxyLines.push(`| ${side} | ${fmt(med(rs, (r) => r.engine))} | ${ms(e.med)} (${ms(e.min)}–${ms(e.max)}) | ${fmt(med(rs, (r) => r.engineCalls))} | ${ms(c.med)} (${ms(c.min)}–${ms(c.max)}) | ` +
      `${ms(med(rs, (r) => r.stopCall.med))} / ${ms(med(rs, (r) => r.start.med))} / ${ms(med(rs, (r) => r.turnaround.med))} |`);
  }
  for (const side of SIDES) {
    const rs = results[side];
    if (!rs.length) { lines.push(`| ${side} | 0 | failed: ${failed[side][0] ?? '?'} | | | | | | | |`); continue; }
    const t = stats(rs.map((r) => r.total));
    const oh = rs.filter((r) => r.overheadPerBatch !== undefined).map((r) => r.overheadPerBatch);
    const o = stats(oh);
    const ro = stats(rs.filter((r) => r.rolloutOverheadPerBatch !== undefined).map((r) => r.rolloutOverheadPerBatch));
    lines.push(`| ${side} | ${rs.length}${failed[side].length ? ` (+${failed[side].length} failed)` : ''} | ${fmt(t.med)} | ${fmt(t.min)}–${fmt(t.max)} | ` +
      `${oh.length ? `${ms(o.med)} (${ms(o.min)}–${ms(o.max)}) | ${ms(ro.med)} (${ms(ro.min)}–${ms(ro.max)})` : '- | -'} | ${fmt(med(rs, (r) => r.orchestrator))} | ${ms(med(rs, (r) => r.firstKill))} | ` +
      `${ms(med(rs, (r) => r.stop.med))} / ${ms(med(rs, (r) => r.restart.med))} / ${ms(med(rs, (r) => r.gap.med))} / ${ms(med(rs, (r) => r.handoff.med))} | ${ms(med(rs, (r) => r.tail))} |`);
  }
  if (opt.proxy) lines.push(...proxyLines);
  const all = Object.values(results).flat();
  if (all.length) lines.push('', `1-min load average at the start of each trial: ${Math.min(...all.map((r) => r.load1))}–${Math.max(...all.map((r) => r.load1))}; other containers running: ${Math.min(...all.map((r) => r.othersRunning))}–${Math.max(...all.map((r) => r.othersRunning))}`);
  lines.push(`image stop on SIGTERM outside any orchestrator, engine kill -> die: ${check.map((c) => ms(c.exit)).join(', ')} ms; kill -> stop done: ${check.map((c) => ms(c.engine)).join(', ')} ms`);
  lines.push(`CLI start-up before the trials: \`shoal --version\` ${cliStart.map(ms).join(', ')} ms, \`docker --version\` ${dockerStart.map(ms).join(', ')} ms (the update is issued with each side's CLI: its start-up is in the total)`);
  lines.push('per-slot values are medians over the 30 slots, then the median over the trials; the stop signal seen: ' +
    SIDES.map((sd) => `${sd} ${[...new Set(results[sd].flatMap((r) => r.signals))].join(',') || '-'}`).join(', '));
  if (results.shoal?.length && results.swarm?.length) {
    const sh = med(results.shoal, (r) => r.total);
    const sw = med(results.swarm, (r) => r.total);
    const oh = results.shoal.filter((r) => r.overheadPerBatch !== undefined);
    lines.push(`targets: shoal total ${fmt(sh)} s vs swarm ${fmt(sw)} s (${sh <= sw ? 'met' : `missed by ${fmt(sh - sw)} s`})` +
      (oh.length ? `; shoal overhead/batch vs raw ${ms(med(oh, (r) => r.overheadPerBatch))} ms (${med(oh, (r) => r.overheadPerBatch) <= 100 ? 'met' : 'missed'})` : '') +
      (opt.proxy ? `; by engine time ${ms(med(results.shoal, (r) => r.engineOverheadPerBatch))} ms (${med(results.shoal, (r) => r.engineOverheadPerBatch) <= 100 ? 'met' : 'missed'})` +
        `; by engine calls ${ms(med(results.shoal, (r) => r.engineCallsOverheadPerBatch))} ms (${med(results.shoal, (r) => r.engineCallsOverheadPerBatch) <= 100 ? 'met' : 'missed'})` : ''));
  }
  lines.push('', 'per trial:');
  for (const r of Object.values(results).flat().sort((a, b) => a.trial - b.trial || a.at - b.at)) lines.push(`  trial ${r.trial} ${r.side}: ${line(r)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opt.json) writeFileSync(opt.json, JSON.stringify({ machine: m, replicas: N, parallelism: PAR, monitorMs: MONITOR_MS, stopCheck: check, results, failed }, null, 2));
  if (SIDES.some((s) => !results[s].length)) process.exitCode = 1;
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
  say(`update bench failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  if (!exiting) { await cleanup(state, say); save(); }
}
