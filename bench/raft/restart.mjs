// Restart benchmark: a manager-like process (one voter: RaftDriver + LevelStorage with synced writes + MemoryStore,
// snapshot and restore as manager.ts does them) holding many tasks is stopped and started again from its data dir;
// how long until the store serves reads (every task present), and the resident memory with the tasks loaded.
// Each phase runs in a fresh child process, so a restart pays what a real one does (module load, opening the log).
//   load    create --tasks tasks in transactions of --batch, snapshotting every --load-snapshot-every entries (the
//           last snapshot holds nearly all the tasks), stop;
//   restart 1: start over that snapshot and the short log after it, then make --churn transactions that each
//           update the status of --churn-size tasks (the log a busy manager keeps between snapshots), stop;
//   restart 2: start over the snapshot and the churn's log.
// Entry: bash bench/raft/run.sh restart [--tasks 100000] [--batch 1000] [--churn 5000] [--churn-size 10] [--json-snapshot]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;
const fmtMb = (bytes) => `${Math.round(bytes / MB)} MB`;
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** A task as the orchestrator and the dispatcher leave it: ~1 KB of JSON. */
function task(i, serviceId, nodeId) {
  return {
    id: `task-${String(i).padStart(8, '0')}-${(i * 2654435761 % 2 ** 32).toString(36)}`,
    meta: { version: 0, createdAt: 0, updatedAt: 0 },
    serviceId, serviceName: `svc-${serviceId}`, slot: (i % 1000) + 1, nodeId,
    spec: {
      container: {
        image: 'registry.example.com/team/web-frontend:2026.11.22-3f9c2ab',
        command: ['/usr/local/bin/server'], args: ['--port', '8080', '--log-format', 'json'],
        env: ['NODE_ENV=production', `SHARD=${i % 16}`],
        labels: { 'com.example.team': 'web', 'com.example.tier': 'frontend', 'com.example.version': '2026.11.22' },
        hostname: '', dir: '/app', user: 'app', mounts: [],
        stopGracePeriodMs: 10000,
      },
      resources: { limits: { nanoCpus: 500000000, memoryBytes: 268435456 }, reservations: { nanoCpus: 250000000, memoryBytes: 134217728 } },
      restart: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: ['node.role==worker', 'node.labels.zone==eu-1'], preferences: [], maxReplicas: 0, platforms: [] },
    },
    status: {
      timestamp: 1795000000000 + i, state: 'RUNNING', message: 'started', err: '',
      container: { containerId: (i * 7919).toString(16).padStart(64, 'c'), pid: 1000 + (i % 30000), exitCode: 0 },
      ports: [],
    },
    desiredState: 'RUNNING',
    endpoint: { ports: [{ name: 'http', protocol: 'tcp', targetPort: 8080, publishedPort: 0, publishMode: 'ingress' }] },
    registryAuth: { username: '', password: '', serverAddress: '' },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A manager-like process: one phase, then it reports and exits.
async function member({ phase, dir, tasks, batch, snapshotEvery, churn, churnSize, jsonSnapshot }) {
  const started = performance.now(); // ~0: performance.now() counts from the process's start
  const { pino } = await import('pino');
  const { systemClock, systemRand } = await import('@shoal/api');
  const { RaftDriver } = await import('../../packages/manager/dist/raft/driver.js');
  const { LevelStorage } = await import('../../packages/manager/dist/raft/storage/level-storage.js');
  const { GrpcRaftTransport } = await import('../../packages/manager/dist/raft/grpc-transport.js');
  const { MemoryStore } = await import('../../packages/manager/dist/store/memory-store.js');
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const t = { modules: performance.now() - started };

  const storage = await LevelStorage.open(dir);
  t.open = performance.now() - started;
  let store;
  let snapshots = 0, snapshotMs = 0, restoreMs = 0;
  const opts = {
    id: 'm1', addr: '127.0.0.1:1', storage, log: storage, clock: systemClock, rand: systemRand,
    transport: new GrpcRaftTransport({ id: 'm1', clusterId: 'bench-restart', logger: pino({ level: 'silent' }) }),
    snapshotEvery,
    // --json-snapshot: as manager.ts does it today, the store's objects as one JSON array; otherwise the store's own
    // line-per-object encoding (MemoryStore.encodeSnapshot / restoreSnapshot).
    snapshot: () => {
      const t0 = performance.now();
      const bytes = jsonSnapshot ? encoder.encode(JSON.stringify([...store.objects()])) : store.encodeSnapshot();
      snapshots++; snapshotMs += performance.now() - t0;
      return bytes;
    },
    restore: (state, index) => {
      const t0 = performance.now();
      if (jsonSnapshot) store.restore(state.length > 0 ? JSON.parse(decoder.decode(state)) : [], index);
      else store.restoreSnapshot(state, index);
      restoreMs += performance.now() - t0;
    },
    onFatal: (err) => { console.error(`raft fatal: ${err.message}`); process.exit(1); },
  };
  const driver = storage.lastIndex() === 0 ? await RaftDriver.bootstrap(opts) : new RaftDriver(opts);
  store = new MemoryStore(driver, systemClock);
  await driver.start();
  // As manager.ts: a lone voter leads at once; once an empty transaction is applied, so is the whole log.
  await driver.propose([]);
  const count = store.count('tasks');
  t.ready = performance.now() - started;
  const memReady = process.memoryUsage();
  const rssReady = memReady.rss;

  const out = { phase, t, count, rssReady, memReady, restoreMs, lastIndex: storage.lastIndex(), snapshotIndex: storage.snapshot().metadata.index };
  if (phase === 'load') {
    const t0 = performance.now();
    for (let first = 0; first < tasks; first += batch) {
      await store.update((tx) => {
        for (let i = first; i < Math.min(tasks, first + batch); i++) tx.create('tasks', task(i, `s${i % 100}`, `n${i % 500}`));
      });
    }
    out.loadMs = performance.now() - t0;
    out.count = store.count('tasks');
    out.jsonBytes = JSON.stringify(store.all('tasks')[0]).length;
  } else if (churn > 0) {
    const ids = store.all('tasks').map((x) => x.id);
    const t0 = performance.now();
    for (let c = 0; c < churn; c++) {
      await store.update((tx) => {
        for (let k = 0; k < churnSize; k++) {
          const cur = tx.get('tasks', ids[(c * churnSize + k) % ids.length]);
          tx.update('tasks', { ...cur, status: { ...cur.status, timestamp: cur.status.timestamp + 1, message: `heartbeat ${c}` } });
        }
      });
    }
    out.churnMs = performance.now() - t0;
  }
  globalThis.gc?.();
  out.rss = process.memoryUsage().rss;
  out.heapUsed = process.memoryUsage().heapUsed;
  out.snapshots = snapshots;
  out.snapshotMs = snapshotMs;
  out.lastIndexAtStop = storage.lastIndex();
  out.snapshotIndexAtStop = storage.snapshot().metadata.index;
  await driver.stop();
  await storage.close();
  process.send(out);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
function runPhase(args) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--member', JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
    let result;
    child.on('message', (m) => { result = m; });
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${args.phase} exited with ${code}`))));
  });
}

function dirSize(dir) {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function main() {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string', default: '100000' }, batch: { type: 'string', default: '1000' },
      'load-snapshot-every': { type: 'string', default: '100' },
      churn: { type: 'string', default: '5000' }, 'churn-size': { type: 'string', default: '10' },
      'json-snapshot': { type: 'boolean', default: false },
    },
  });
  const tasks = Number(values.tasks);
  const batch = Number(values.batch);
  const base = mkdtempSync(join(tmpdir(), 'shoal-bench-raft-restart-'));
  const dir = join(base, 'raft');
  const cleanup = () => rmSync(base, { recursive: true, force: true });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { cleanup(); process.exit(130); });
  try {
    const os = await import('node:os');
    console.log(`machine: ${os.cpus()[0].model} x${os.cpus().length}, node ${process.version}, tmp ${base}`);
    const load = await runPhase({ phase: 'load', dir, tasks, batch, snapshotEvery: Number(values['load-snapshot-every']), jsonSnapshot: values['json-snapshot'] });
    console.log(`load: ${load.count} tasks (${load.jsonBytes} bytes of JSON each) in ${tasks / batch} transactions of ${batch}: ${fmtS(load.loadMs)}; `
      + `${load.snapshots} snapshots (${fmtS(load.snapshotMs)} encoding); log: snapshot at ${load.snapshotIndexAtStop}, last index ${load.lastIndexAtStop}; `
      + `RSS ${fmtMb(load.rss)} after GC (heap ${fmtMb(load.heapUsed)}); data dir ${fmtMb(dirSize(dir))}`);

    const report = (name, r) => {
      console.log(`${name}: store serves all ${r.count} tasks ${fmtS(r.t.ready)} after the process started `
        + `(modules ${fmtS(r.t.modules)}, LevelStorage.open ${fmtS(r.t.open - r.t.modules)}, snapshot restore ${fmtS(r.restoreMs)}, `
        + `rest: driver start + log replay ${fmtS(r.t.ready - r.t.open - r.restoreMs)}; log: snapshot at ${r.snapshotIndex}, last index ${r.lastIndex}); `
        + `RSS ${fmtMb(r.rssReady)} at ready (JS heap ${fmtMb(r.memReady.heapUsed)} of ${fmtMb(r.memReady.heapTotal)}, array buffers ${fmtMb(r.memReady.arrayBuffers)}), ${fmtMb(r.rss)} after GC — targets <= 5 s: ${r.t.ready <= 5000 ? 'MET' : 'MISSED'}, `
        + `<= 500 MB: ${r.rssReady <= 500 * MB ? 'MET' : 'MISSED'}`);
      if (r.count !== tasks) throw new Error(`${name}: ${r.count} tasks after restart, expected ${tasks}`);
    };
    const churn = Number(values.churn);
    const r1 = await runPhase({ phase: 'restart-1', dir, snapshotEvery: 10_000, churn, churnSize: Number(values['churn-size']), jsonSnapshot: values['json-snapshot'] });
    report('restart 1 (snapshot + short log)', r1);
    console.log(`  then ${churn} transactions updating ${values['churn-size']} tasks each: ${fmtS(r1.churnMs)}; data dir ${fmtMb(dirSize(dir))}`);
    const r2 = await runPhase({ phase: 'restart-2', dir, snapshotEvery: 10_000, churn: 0, jsonSnapshot: values['json-snapshot'] });
    report(`restart 2 (snapshot + ${churn} entries)`, r2);
  } finally {
    cleanup();
  }
}

if (process.argv.includes('--member')) await member(JSON.parse(process.argv[process.argv.indexOf('--member') + 1]));
else await main().catch((err) => { console.error(err); process.exitCode = 1; });
