// Routing-mesh benchmark: wrk against one HTTP backend directly, through a shoal Mesh (its own process) and through
// HAProxy (nbthread 1, tcp mode), side by side in one run; then idle connections held through the mesh (RSS).
//   node bench/mesh/run.mjs --state DIR [--duration 10] [--connections 50] [--rounds 3] [--modes keepalive,close]
//                           [--targets direct,mesh,haproxy] [--idle 9800] [--json FILE] [--mesh-node-flags '...']
//                           [--mesh-on thread|inline] [--backend node|nginx]
// Run it through run.sh, which installs wrk/haproxy when missing, builds, and cleans up.
import { fork, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    state: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    modes: { type: 'string', default: 'keepalive,close' },
    targets: { type: 'string', default: 'direct,mesh,haproxy' },
    idle: { type: 'string', default: '9800' },
    json: { type: 'string' },
    'mesh-node-flags': { type: 'string', default: '' }, // e.g. --max-semi-space-size=1, for the mesh process only
    'mesh-on': { type: 'string', default: 'thread' }, // thread: its own worker thread, as the daemons run it; inline
    // node: backend.mjs's HTTP server; nginx: one nginx process (Debian's), which answers at a fraction of the CPU, so
    // that the proxies' own cost decides more of the rate
    backend: { type: 'string', default: 'node' },
  },
});
if (!args.state) throw new Error('--state DIR is required (run.sh makes one)');
const here = new URL('.', import.meta.url).pathname;
const say = (line) => console.error(`[mesh-bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const children = new Set();

function cleanup() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
  children.clear();
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function once(child, type) {
  return new Promise((resolve, reject) => {
    const onMsg = (m) => {
      if (m.type !== type) return;
      child.off('message', onMsg);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code) => reject(new Error(`child exited (${code}) before '${type}'`));
    child.on('message', onMsg);
    child.on('exit', onExit);
  });
}

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function rssOf(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function startMesh(table) {
  const mesh = track(fork(join(here, 'mesh-node.mjs'), [args['mesh-on']], { execArgv: ['--expose-gc', ...args['mesh-node-flags'].split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await once(mesh, 'ready');
  mesh.send({ type: 'apply', table });
  const applied = await once(mesh, 'applied');
  const bad = applied.listeners.filter((l) => l.error);
  if (bad.length) throw new Error(`mesh cannot listen: ${JSON.stringify(bad)}`);
  return mesh;
}

async function meshStats(mesh) {
  mesh.send({ type: 'stats' });
  return once(mesh, 'stats');
}

async function stopMesh(mesh) {
  mesh.send({ type: 'close' });
  await once(mesh, 'closed');
  mesh.disconnect();
  await new Promise((resolve) => (mesh.exitCode !== null ? resolve() : mesh.once('exit', resolve)));
}

const endpoint = (port, backendPort, name) => ({
  serviceId: name, serviceName: name, protocol: 'tcp', publishedPort: port, targetPort: 80,
  backends: [{ taskId: `${name}.1`, nodeId: 'n1', addr: `127.0.0.1:${backendPort}` }],
});

// --- wrk ------------------------------------------------------------------------------------------------------------

function toMs(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : v * 60_000;
}

function wrk(url, mode) {
  const argv = ['-t1', `-c${args.connections}`, `-d${args.duration}s`, '--latency'];
  if (mode === 'close') argv.push('-H', 'Connection: close');
  argv.push(url);
  return new Promise((resolve, reject) => {
    const child = track(spawn('wrk', argv, { stdio: ['ignore', 'pipe', 'inherit'] }));
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out}`));
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
      const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
      const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
      const errs = /Socket errors: (.*)/.exec(out)?.[1] ?? '';
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      resolve({ rps, p50, p99, errors: errs, non2xx });
    });
  });
}

function loadavg() {
  return os.loadavg()[0].toFixed(1);
}

// --- main -----------------------------------------------------------------------------------------------------------

const backend = track(fork(join(here, 'backend.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
const ports = await once(backend, 'ready');
let httpServer = backend; // the process that answers HTTP: its CPU is direct's
if (args.backend === 'nginx') {
  ports.http = await freePort();
  const conf = join(args.state, 'nginx.conf');
  writeFileSync(conf, `daemon off;
master_process off;
worker_processes 1;
pid ${join(args.state, 'nginx.pid')};
error_log stderr error;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${args.state};
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:${ports.http} backlog=4096;
    location / { default_type text/plain; return 200 "hello, mesh!\n"; }
  }
}
`);
  httpServer = track(spawn('nginx', ['-c', conf, '-e', 'stderr'], { stdio: ['ignore', 'inherit', 'inherit'] }));
} else if (args.backend !== 'node') {
  throw new Error(`--backend: ${args.backend} is not node or nginx`);
}
const meshPort = await freePort();
const meshIdlePort = await freePort();
const haPort = await freePort();
const haIdlePort = await freePort();
const table = { full: true, removedServices: [], backendChanges: [], endpoints: [endpoint(meshPort, ports.http, 'web'), endpoint(meshIdlePort, ports.sink, 'idle')] };

const cfg = join(args.state, 'haproxy.cfg');
writeFileSync(cfg, `global
  nbthread 1
  maxconn 9950
defaults
  mode tcp
  timeout connect 1s
  timeout client 120s
  timeout server 120s
frontend web
  bind 127.0.0.1:${haPort}
  default_backend web
frontend idle
  bind 127.0.0.1:${haIdlePort}
  default_backend idle
backend web
  server s1 127.0.0.1:${ports.http}
backend idle
  server s1 127.0.0.1:${ports.sink}
`);
const haproxy = track(spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] }));
let haErr = '';
haproxy.stderr.on('data', (d) => { haErr += d; });
writeFileSync(join(args.state, 'haproxy.pid'), String(haproxy.pid));
const results = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, backend: args.backend, runs: [], idle: undefined };

// Wait until each target answers.
const urls = { direct: `http://127.0.0.1:${ports.http}/`, mesh: `http://127.0.0.1:${meshPort}/`, haproxy: `http://127.0.0.1:${haPort}/` };
let mesh = await startMesh(table);
for (const [name, url] of Object.entries(urls)) {
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(url, { headers: { connection: 'close' } });
      await res.text();
      if (res.ok) break;
    } catch (err) {
      if (i > 50) throw new Error(`${name} does not answer: ${err} ${haErr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Idle connections first, on a fresh mesh process: RSS before, with N idle connections held, and after they close.
async function idleRun(n) {
  const open = async (port) => {
    const socks = [];
    for (let i = 0; i < n; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 500); j++) {
        batch.push(new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        }));
      }
      socks.push(...(await Promise.all(batch)));
    }
    return socks;
  };
  const settle = () => new Promise((r) => setTimeout(r, 1000));
  const before = await meshStats(mesh);
  const haBefore = rssOf(haproxy.pid);
  let socks = await open(meshIdlePort);
  for (let i = 0; i < 100; i++) {
    const s = await meshStats(mesh);
    if (s.listeners.find((l) => l.serviceName === 'idle').active === n) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await settle();
  const held = await meshStats(mesh);
  const active = held.listeners.find((l) => l.serviceName === 'idle').active;
  for (const s of socks) s.destroy();
  for (let i = 0; i < 100; i++) {
    const s = await meshStats(mesh);
    if (s.listeners.find((l) => l.serviceName === 'idle').active === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await settle();
  const after = await meshStats(mesh);
  socks = await open(haIdlePort);
  await settle();
  const haHeld = rssOf(haproxy.pid);
  for (const s of socks) s.destroy();
  return {
    connections: n, active,
    mesh: { before: before.rss, held: held.rss, after: after.rss, heldHeap: held.heapUsed, beforeHeap: before.heapUsed },
    haproxy: { before: haBefore, held: haHeld },
  };
}
const mb = (b) => (b / 1048576).toFixed(1);
if (Number(args.idle) > 0) {
  say(`idle: ${args.idle} connections through the mesh, then through HAProxy`);
  results.idle = await idleRun(Number(args.idle));
  const i = results.idle;
  say(`mesh RSS ${mb(i.mesh.before)} -> ${mb(i.mesh.held)} MB with ${i.active} held (+${mb(i.mesh.held - i.mesh.before)} MB, ${((i.mesh.held - i.mesh.before) / i.connections / 1024).toFixed(2)} KiB each), ${mb(i.mesh.after)} MB after; haproxy +${mb(i.haproxy.held - i.haproxy.before)} MB`);
  // The throughput runs get a mesh process that has not held them.
  await stopMesh(mesh);
  mesh = await startMesh(table);
}

const modes = args.modes.split(',');
const targets = args.targets.split(',');
for (let round = 0; round < Number(args.rounds); round++) {
  for (const mode of modes) {
    const order = targets.map((_, k) => targets[(k + round) % targets.length]);
    for (const target of order) {
      const load = loadavg();
      // CPU per request of the process in the middle (the backend's own for direct): independent of how much CPU the
      // shared machine left us.
      const pid = { direct: httpServer.pid, mesh: mesh.pid, haproxy: haproxy.pid }[target];
      const cpu0 = cpuMs(pid);
      const r = await wrk(urls[target], mode);
      const cpuUs = ((cpuMs(pid) - cpu0) * 1000) / (r.rps * Number(args.duration));
      results.runs.push({ round, mode, target, load, cpuUs, ...r });
      say(`round ${round + 1} ${mode.padEnd(9)} ${target.padEnd(7)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  cpu ${cpuUs.toFixed(1)} us/req  load ${load}${r.errors ? `  errors ${r.errors}` : ''}${r.non2xx ? `  non-2xx ${r.non2xx}` : ''}`);
    }
  }
}
// The mesh thread reports its counters at most once a second (STATS_MS): wait for the report after the last run.
await new Promise((resolve) => setTimeout(resolve, 1_500));
const meshEnd = await meshStats(mesh);
results.meshListeners = meshEnd.listeners;
await stopMesh(mesh);

// --- report ---------------------------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const lines = [];
lines.push(`| mode | target | req/s (median of ${args.rounds}) | p99 ms (median) | req/s vs haproxy | p99 vs haproxy | CPU µs/req of the middle process (median) | rounds req/s |`);
lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const mode of modes) {
  const agg = {};
  for (const t of targets) {
    const rs = results.runs.filter((r) => r.mode === mode && r.target === t);
    agg[t] = { rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.p99)), cpu: median(rs.map((r) => r.cpuUs)), all: rs.map((r) => r.rps.toFixed(0)).join(' / ') };
  }
  for (const t of targets) {
    const ha = agg.haproxy;
    const vs = ha ? `${(agg[t].rps / ha.rps).toFixed(2)}×` : '';
    const vsp = ha ? `${(agg[t].p99 / ha.p99).toFixed(2)}×` : '';
    lines.push(`| ${mode} | ${t} | ${agg[t].rps.toFixed(0)} | ${agg[t].p99.toFixed(2)} | ${vs} | ${vsp} | ${agg[t].cpu.toFixed(1)} | ${agg[t].all} |`);
  }
}
console.log(lines.join('\n'));
if (results.idle) {
  const i = results.idle;
  console.log(`\nidle: ${i.active}/${i.connections} connections held through the mesh: RSS ${mb(i.mesh.before)} -> ${mb(i.mesh.held)} MB (+${mb(i.mesh.held - i.mesh.before)} MB), ${mb(i.mesh.after)} MB after they closed; heap ${mb(i.mesh.beforeHeap)} -> ${mb(i.mesh.heldHeap)} MB; HAProxy +${mb(i.haproxy.held - i.haproxy.before)} MB`);
}
console.log(`\nmesh listener stats at the end: ${JSON.stringify(results.meshListeners)}`);
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 2));
cleanup();
process.exit(0);
