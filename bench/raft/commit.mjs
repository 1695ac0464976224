// Raft commit benchmark: three managers' RaftDrivers on loopback, each in its own child process (so a member can be
// kill -9'd for the failover trials, and the leader's event loop is not shared with the followers'), each with its
// own LevelStorage (synced writes) in a temp dir and a GrpcRaftTransport on its own 127.0.0.1 port. Real clock,
// tick 100 ms, election 10 ticks. The applier only counts.
// Entry: bash bench/raft/run.sh commit [--seconds 10] [--concurrency 100] [--latency 2000] [--failovers 20] [--floor 2000]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const TICK_MS = 100;
const ELECTION_TICKS = 10;
const CLUSTER = 'bench-commit';
const action = (n) => [{ kind: 'delete', table: 'tasks', id: `t${n}` }];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const fmt = (ms) => `${ms.toFixed(2)} ms`;

// ---------------------------------------------------------------------------------------------------------------
// A member process.
async function member() {
  const { pino } = await import('pino');
  const { bindServer, newServer, stopServer, systemClock, systemRand } = await import('@shoal/api');
  const { RaftDriver } = await import('../../packages/manager/dist/raft/driver.js');
  const { LevelStorage } = await import('../../packages/manager/dist/raft/storage/level-storage.js');
  const { GrpcRaftTransport } = await import('../../packages/manager/dist/raft/grpc-transport.js');
  const logger = pino({ level: 'silent' });
  const reply = (m) => process.send(m);
  let driver, storage, server, transport;
  let applied = 0;
  let appliedIndex = 0;
  let saves = 0, saveMs = 0, savedEntries = 0;
  let probing = false;

  const handlers = {
    async init({ id, mode, dir, port, peers }) {
      storage = await LevelStorage.open(dir);
      // Count the synced writes (one per Ready) and the time spent in them.
      const save = storage.save.bind(storage);
      storage.save = async (batch) => {
        const t0 = performance.now();
        try { return await save(batch); } finally { saves++; saveMs += performance.now() - t0; savedEntries += batch.entries.length; }
      };
      transport = new GrpcRaftTransport({ id, clusterId: CLUSTER, logger });
      server = newServer();
      transport.register(server);
      const bound = await bindServer(server, `127.0.0.1:${port ?? 0}`);
      const addr = `127.0.0.1:${bound}`;
      const opts = {
        id, addr, storage, log: storage, transport, clock: systemClock, rand: systemRand,
        peers: new Map(Object.entries(peers ?? {})), tickMs: TICK_MS, electionTicks: ELECTION_TICKS,
        snapshot: () => new Uint8Array(0), restore: () => undefined,
        onFatal: (err) => reply({ ev: 'fatal', err: err.message }),
      };
      driver = mode === 'bootstrap' ? await RaftDriver.bootstrap(opts) : mode === 'join' ? RaftDriver.join(opts) : new RaftDriver(opts);
      driver.setApplier((_actions, index) => { applied++; appliedIndex = index; });
      driver.onLeaderChange((leader, isSelf) => reply({ ev: 'leader', leader, isSelf, at: Date.now() }));
      await driver.start();
      return { addr, port: bound };
    },
    stats: () => ({ saves, saveMs, savedEntries, cpu: process.cpuUsage(), at: performance.now() }),
    addVoter: ({ id, addr }) => driver.addVoter(id, addr),
    status: () => ({ isLeader: driver.isLeader, leader: driver.leaderInfo().id, applied: appliedIndex, members: driver.members() }),
    async throughput({ concurrency, warmMs, ms }) {
      let counting = false;
      let committed = 0;
      let errors = 0;
      let stop = false;
      let n = 0;
      const lat = [];
      const worker = async () => {
        while (!stop) {
          const t0 = performance.now();
          try {
            await driver.propose(action(n++));
            if (counting) { committed++; lat.push(performance.now() - t0); }
          } catch { errors++; await sleep(1); }
        }
      };
      const workers = Array.from({ length: concurrency }, worker);
      await sleep(warmMs);
      counting = true;
      const appliedBefore = applied;
      const t0 = performance.now();
      await sleep(ms);
      counting = false;
      const seconds = (performance.now() - t0) / 1000;
      const appliedDelta = applied - appliedBefore;
      stop = true;
      await Promise.all(workers);
      lat.sort((a, b) => a - b);
      return { committed, seconds, perSecond: committed / seconds, appliedPerSecond: appliedDelta / seconds, errors, p50: pct(lat, 50), p99: pct(lat, 99) };
    },
    async latency({ n, warm }) {
      const lat = [];
      for (let i = 0; i < warm + n; i++) {
        const t0 = performance.now();
        await driver.propose(action(i));
        if (i >= warm) lat.push(performance.now() - t0);
      }
      lat.sort((a, b) => a - b);
      return { n, p50: pct(lat, 50), p90: pct(lat, 90), p99: pct(lat, 99), max: lat.at(-1), mean: lat.reduce((a, b) => a + b, 0) / n };
    },
    // Proposes until one is acknowledged (applied here, so committed) — on whichever member leads. Rejections on a
    // follower are immediate (NotLeader / no leader), so this polls every 2 ms.
    async probe({ deadlineMs }) {
      const end = Date.now() + deadlineMs;
      let i = 0;
      probing = true;
      while (probing && Date.now() < end) {
        try {
          await driver.propose(action(i++));
          return { ok: true, at: Date.now(), isLeader: driver.isLeader };
        } catch { await sleep(2); }
      }
      return { ok: false };
    },
    cancelProbe: () => { probing = false; return {}; },
    async floor({ n }) {
      // A bare LevelStorage.save of one small entry, sequential: the fsync floor of one Ready's write.
      const { encodeActions } = await import('../../packages/manager/dist/raft/entry-codec.js');
      const data = encodeActions(action(0));
      const s = await LevelStorage.open(join(process.env.BENCH_FLOOR_DIR, 'floor'));
      await s.save({ snapshot: { metadata: { index: 1, term: 1, confState: { voters: ['x'] } }, data: new Uint8Array(0) }, entries: [] });
      const lat = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await s.save({ entries: [{ term: 1, index: i + 2, type: 'normal', data }], hardState: { term: 1, vote: 'x', commit: i + 1 } });
        lat.push(performance.now() - t0);
      }
      await s.close();
      lat.sort((a, b) => a - b);
      return { n, p50: pct(lat, 50), p99: pct(lat, 99), mean: lat.reduce((a, b) => a + b, 0) / n, perSecond: n / (lat.reduce((a, b) => a + b, 0) / 1000) };
    },
    async stop() {
      await driver?.stop();
      if (server) await stopServer(server, 200);
      await storage?.close();
      return {};
    },
  };

  process.on('message', async ({ seq, cmd, args }) => {
    try {
      reply({ seq, ok: true, value: await handlers[cmd](args ?? {}) });
    } catch (err) {
      reply({ seq, ok: false, err: String(err?.message ?? err) });
    }
    if (cmd === 'stop') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0)); // the parent is gone: never outlive it
  reply({ ev: 'ready' });
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: starts the members, runs the measurements, cleans up.
class Child {
  constructor(id, base) {
    this.id = id;
    this.dir = join(base, id);
    this.pending = new Map();
    this.seq = 0;
    this.leaderEvents = [];
    this.proc = fork(fileURLToPath(import.meta.url), ['--member'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, BENCH_FLOOR_DIR: base } });
    this.exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.ready = new Promise((resolve) => {
      this.proc.on('message', (m) => {
        if (m.ev === 'ready') resolve();
        else if (m.ev === 'leader') this.leaderEvents.push(m);
        else if (m.ev === 'fatal') console.error(`${id}: raft fatal: ${m.err}`);
        else if (m.seq !== undefined) {
          const p = this.pending.get(m.seq);
          this.pending.delete(m.seq);
          if (m.ok) p?.resolve(m.value); else p?.reject(new Error(`${id} ${p?.cmd}: ${m.err}`));
        }
      });
    });
    this.proc.once('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`${id} exited`));
      this.pending.clear();
    });
  }

  call(cmd, args) {
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, cmd });
      this.proc.send({ seq, cmd, args });
    });
  }

  kill() {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    return this.exited;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' }, warmup: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '100' }, latency: { type: 'string', default: '2000' },
      failovers: { type: 'string', default: '20' }, floor: { type: 'string', default: '2000' },
      'failover-budget': { type: 'string', default: '0' }, // stop the failover trials after this many seconds (0: none)
    },
  });
  const base = mkdtempSync(join(tmpdir(), 'shoal-bench-raft-commit-'));
  const children = new Set();
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await Promise.all([...children].map((c) => c.kill()));
    rmSync(base, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { void cleanup().then(() => process.exit(130)); });
  const spawn = async (id) => {
    const c = new Child(id, base);
    children.add(c);
    void c.exited.then(() => children.delete(c));
    await c.ready;
    return c;
  };

  try {
    console.log(`machine: ${(await import('node:os')).cpus()[0].model} x${(await import('node:os')).cpus().length}, node ${process.version}, tmp ${base}`);
    // The fsync floor, on its own before the cluster starts.
    const floorProc = await spawn('floor');
    const floor = await floorProc.call('floor', { n: Number(values.floor) });
    await floorProc.call('stop').catch(() => undefined);
    console.log(`floor: bare LevelStorage.save of one entry (sync), ${floor.n} sequential: p50 ${fmt(floor.p50)}, p99 ${fmt(floor.p99)}, mean ${fmt(floor.mean)} (${Math.round(floor.perSecond)} saves/s)`);

    // Found the cluster: n1 bootstraps alone, then adds n2 and n3, which join.
    const m = new Map();
    const addrs = new Map();
    const ports = new Map();
    m.set('n1', await spawn('n1'));
    let r = await m.get('n1').call('init', { id: 'n1', mode: 'bootstrap', dir: m.get('n1').dir });
    addrs.set('n1', r.addr); ports.set('n1', r.port);
    for (const id of ['n2', 'n3']) {
      m.set(id, await spawn(id));
      r = await m.get(id).call('init', { id, mode: 'join', dir: m.get(id).dir, peers: { n1: addrs.get('n1') } });
      addrs.set(id, r.addr); ports.set(id, r.port);
      await m.get('n1').call('addVoter', { id, addr: r.addr });
    }
    const leaderOf = async () => {
      for (const c of m.values()) {
        if (c.proc.exitCode !== null || c.proc.signalCode !== null) continue;
        const s = await c.call('status');
        if (s.isLeader) return c;
      }
      return undefined;
    };
    // Wait until all three apply the same entries (the joiners caught up).
    const caughtUp = async (timeoutMs = 10_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const st = await Promise.all([...m.values()].map((c) => c.call('status')));
        const leaders = st.filter((s) => s.isLeader);
        if (leaders.length === 1 && st.every((s) => s.applied >= leaders[0].applied && s.members.length === 3)
          && leaders[0].members.every((x) => x.reachable)) return;
        if (Date.now() > end) throw new Error(`cluster not settled: ${JSON.stringify(st.map((s) => [s.isLeader, s.applied]))}`);
        await sleep(50);
      }
    };
    await caughtUp();
    let leader = await leaderOf();
    console.log(`cluster: ${[...addrs].map(([id, a]) => `${id}@${a}`).join(', ')}; leader ${leader.id}`);

    // 1. Throughput.
    const tpRun = leader.call('throughput', { concurrency: Number(values.concurrency), warmMs: Number(values.warmup) * 1000, ms: Number(values.seconds) * 1000 });
    await sleep(Number(values.warmup) * 1000);
    const before = await Promise.all([...m.values()].map((c) => c.call('stats')));
    await sleep(Number(values.seconds) * 1000);
    const after = await Promise.all([...m.values()].map((c) => c.call('stats')));
    const tp = await tpRun;
    console.log(`throughput: ${values.concurrency} concurrent proposers on ${leader.id}, ${tp.seconds.toFixed(1)} s after ${values.warmup} s warm-up: `
      + `${Math.round(tp.perSecond)} committed entries/s (${tp.committed} entries; leader applied ${Math.round(tp.appliedPerSecond)}/s; `
      + `per-proposal latency p50 ${fmt(tp.p50)}, p99 ${fmt(tp.p99)}; ${tp.errors} errors) — target >= 20,000/s: ${tp.perSecond >= 20_000 ? 'MET' : 'MISSED'}`);

    [...m.values()].forEach((c, i) => {
      const a = after[i], b = before[i];
      const wall = a.at - b.at;
      const cpu = (a.cpu.user + a.cpu.system - b.cpu.user - b.cpu.system) / 1000;
      const saves = a.saves - b.saves;
      console.log(`  ${c.id}${c === leader ? ' (leader)' : ''}: CPU ${Math.round((100 * cpu) / wall)} % of one core; ${Math.round((saves * 1000) / wall)} synced saves/s, `
        + `${((a.savedEntries - b.savedEntries) / Math.max(1, saves)).toFixed(1)} entries/save, ${((a.saveMs - b.saveMs) / Math.max(1, saves)).toFixed(2)} ms/save, `
        + `${Math.round((100 * (a.saveMs - b.saveMs)) / wall)} % of the wall time in a save`);
    });

    // 2. Latency.
    await caughtUp();
    const lt = await leader.call('latency', { n: Number(values.latency), warm: 100 });
    console.log(`latency: 1 sequential proposer, ${lt.n} proposals: p50 ${fmt(lt.p50)}, p90 ${fmt(lt.p90)}, p99 ${fmt(lt.p99)}, max ${fmt(lt.max)}, mean ${fmt(lt.mean)} `
      + `— targets p50 <= 2 ms: ${lt.p50 <= 2 ? 'MET' : 'MISSED'}, p99 <= 10 ms: ${lt.p99 <= 10 ? 'MET' : 'MISSED'}`);

    // 3. Failover: kill -9 the leader, time until a proposal is acknowledged by the new leader; restart the killed one.
    const trials = [];
    const budgetEnd = Number(values['failover-budget']) > 0 ? Date.now() + Number(values['failover-budget']) * 1000 : Infinity;
    for (let t = 0; t < Number(values.failovers) && Date.now() < budgetEnd; t++) {
      await caughtUp(20_000);
      leader = await leaderOf();
      const survivors = [...m.values()].filter((c) => c !== leader);
      for (const c of survivors) c.leaderEvents.length = 0;
      const killedAt = Date.now();
      await leader.kill();
      // The first acknowledgement ends the other member's probe (a follower's proposals only ever reject).
      const probes = await Promise.all(survivors.map((c) => c.call('probe', { deadlineMs: 15_000 }).then(async (p) => {
        if (p.ok) await Promise.all(survivors.map((o) => o.call('cancelProbe')));
        return p;
      })));
      const won = probes.map((p, i) => ({ ...p, id: survivors[i].id })).filter((p) => p.ok && p.isLeader).sort((a, b) => a.at - b.at)[0];
      const ms = won ? won.at - killedAt : NaN;
      trials.push(ms);
      console.log(`failover ${t + 1}: killed ${leader.id}, ${won ? `${won.id} acknowledged a proposal after ${ms} ms` : 'no acknowledgement within 15 s'}`);
      // A slow trial says what the survivors saw: their leader changes, in ms after the kill.
      if (!(ms <= 2000)) {
        for (const c of survivors) console.log(`  ${c.id}: ${c.leaderEvents.map((e) => `+${e.at - killedAt} ms leader ${e.leader || '(none)'}`).join(', ') || 'no leader change'}`);
      }
      // Restart the killed member over its own log, on its own port.
      const id = leader.id;
      const c = await spawn(id);
      m.set(id, c);
      const peers = Object.fromEntries([...addrs].filter(([p]) => p !== id));
      await c.call('init', { id, mode: 'restart', dir: c.dir, port: ports.get(id), peers });
    }
    if (trials.length > 0) {
      const sorted = trials.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
      const failed = trials.length - sorted.length;
      const p99 = failed > 0 ? Infinity : pct(sorted, 99);
      console.log(`failover: ${trials.length} trials (${failed} without acknowledgement): min ${sorted[0]} ms, p50 ${pct(sorted, 50)} ms, `
        + `p99 ${pct(sorted, 99)} ms, max ${sorted.at(-1)} ms — target p99 <= 2000 ms over 20 trials: ${trials.length < 20 ? `${p99 <= 2000 ? 'MET' : 'MISSED'} (only ${trials.length} trials)` : p99 <= 2000 ? 'MET' : 'MISSED'}`);
    }
    await Promise.all([...m.values()].map((c) => c.call('stop').catch(() => undefined)));
  } finally {
    await cleanup();
  }
}

if (process.argv.includes('--member')) await member();
else await main().catch((err) => { console.error(err); process.exitCode = 1; });
