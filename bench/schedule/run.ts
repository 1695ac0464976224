// Scheduler benchmark: 100,000 tasks of 20 services onto 1,000 nodes, with constraints and reservations.
// Targets: >= 100,000 placements/s, peak memory <= 300 MB. Run: bench/schedule/run.sh
import { seededRand } from '@shoal/api';
import type { Node, Service, Task } from '@shoal/api';
// decisions.ts is what the manager's index re-exports; the bench reads it from source so it does not
// depend on the rest of the manager building.
import { orchestrator, scheduler } from '../../packages/manager/src/decisions.js';

const NODES = 1_000;
const SERVICES = 20;
const TASKS_PER_SERVICE = 5_000;
const CPU = 1e9;
const MiB = 1024 ** 2;
const ZONES = ['a', 'b', 'c', 'd'];

function node(i: number): Node {
  const id = `node${String(i).padStart(4, '0')}`;
  return {
    id,
    meta: { version: 1, createdAt: 0, updatedAt: 0 },
    spec: { labels: { zone: ZONES[i % ZONES.length] ?? 'a' }, role: i < 3 ? 'manager' : 'worker', availability: 'active' },
    description: {
      hostname: `host-${i}`,
      platform: { os: 'linux', architecture: 'x86_64' },
      resources: { nanoCpus: 32 * CPU, memoryBytes: 128 * 1024 * MiB },
      engineLabels: { storage: i % 2 === 0 ? 'ssd' : 'hdd' },
      engineVersion: '20.10.0',
    },
    status: { state: 'ready', message: '', addr: '10.0.0.1', agent: true },
    managerStatus: { addr: '', leader: false, reachability: '' },
    secretHash: '',
  };
}

// A mix of constraints: by zone label, by engine label, by role, and none.
function constraintsOf(i: number): string[] {
  switch (i % 5) {
    case 0: return [`node.labels.zone==${ZONES[(i / 5) % ZONES.length] ?? 'a'}`];
    case 1: return ['engine.labels.storage==ssd'];
    case 2: return ['node.role!=manager'];
    default: return [];
  }
}

function service(i: number): Service {
  return {
    id: `svc${i}`,
    meta: { version: 1, createdAt: 0, updatedAt: 0 },
    spec: {
      annotations: { name: `svc${i}`, labels: {} },
      mode: 'replicated',
      replicas: TASKS_PER_SERVICE,
      task: {
        container: { image: 'nginx:alpine', command: [], args: [], env: ['A=1'], labels: {}, hostname: '', dir: '', user: '', mounts: [], stopGracePeriodMs: 10_000 },
        resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: CPU / 10, memoryBytes: (128 + 32 * (i % 4)) * MiB } },
        restart: { condition: 'any', delayMs: 5_000, maxAttempts: 0, windowMs: 0 },
        placement: { constraints: constraintsOf(i) },
      },
      endpoint: { ports: [] },
      registryAuth: { username: '', password: '', serverAddress: '' },
    },
  };
}

const mb = (bytes: number) => (bytes / MiB).toFixed(0);
let peakHeap = 0;
const sampleHeap = () => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); };
// With --expose-gc (run.sh passes it) the heap is measured after a collection, to tell apart what each phase keeps.
const gc = (globalThis as { gc?: () => void }).gc;
const liveHeap = () => { gc?.(); return process.memoryUsage().heapUsed; };
const baseHeap = liveHeap();

const nodes = Array.from({ length: NODES }, (_, i) => node(i));
const nodesById = new Map(nodes.map((n) => [n.id, n]));
const services = Array.from({ length: SERVICES }, (_, i) => service(i));

// The tasks as the replicated orchestrator makes them (each with its own copy of the spec).
const rand = seededRand(42);
let t0 = performance.now();
const tasks: Task[] = [];
for (const s of services) {
  for (const a of orchestrator.reconcileReplicated(s, [], nodesById, Date.now(), rand)) if (a.kind === 'create') tasks.push(a.task);
}
const createMs = performance.now() - t0;
sampleHeap();
const tasksHeap = liveHeap();

t0 = performance.now();
const set = scheduler.NodeSet.from(nodes, []);
const result = scheduler.scheduleTasks(set, tasks);
const scheduleMs = performance.now() - t0;
sampleHeap();
const peakRss = process.resourceUsage().maxRSS * 1024; // before the checks below, which are the bench's own
const scheduledHeap = liveHeap();

// Check what was promised: every task placed, no node over-committed, every constraint held.
const byId = new Map(tasks.map((t) => [t.id, t]));
let violations = 0;
for (const a of result.assigned) {
  const t = byId.get(a.taskId);
  const n = nodesById.get(a.nodeId);
  if (!t || !n || !scheduler.nodeSatisfies(n, t.spec.placement.constraints)) violations++;
}
for (const info of set.values()) if (info.freeNanoCpus < 0 || info.freeMemoryBytes < 0) violations++;
const perNode = [...set.values()].map((i) => i.taskCount);

const placementsPerSec = result.assigned.length / (scheduleMs / 1000);
console.log(`tasks ${tasks.length}, services ${SERVICES}, nodes ${NODES}`);
console.log(`create tasks (reconcileReplicated): ${createMs.toFixed(0)} ms`);
console.log(`schedule: ${scheduleMs.toFixed(0)} ms, assigned ${result.assigned.length}, pending ${result.pending.length}, violations ${violations}`);
console.log(`tasks per node: min ${Math.min(...perNode)}, max ${Math.max(...perNode)}`);
console.log(`placements/s: ${Math.round(placementsPerSec)} (target >= 100000)`);
console.log(`peak RSS: ${mb(peakRss)} MB, peak heap used: ${mb(peakHeap)} MB (target <= 300 MB)`);
console.log(`live heap: ${mb(tasksHeap - baseHeap)} MB for the tasks, +${mb(scheduledHeap - tasksHeap)} MB for the scheduler's view and result`);
const ok = violations === 0 && result.pending.length === 0 && placementsPerSec >= 100_000 && peakRss <= 300 * MiB;
console.log(ok ? 'PASS' : 'FAIL');
process.exitCode = ok ? 0 : 1;
