// The leader's routing-mesh table: what one task's change costs (the flush at the commit, and the change message
// sent to every agent) in an ingress service of N tasks. Tasks leave (desired SHUTDOWN) and come back one at a time.
//   npm run build && node bench/mesh/table-cost.mjs [--tasks 1000,10000] [--changes 200] [--tree OTHER_BUILT_TREE]
// --tree measures another built shoal tree (e.g. a git worktree of an older commit) with the same script.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000,10000' },
    changes: { type: 'string', default: '200' },
    tree: { type: 'string', default: resolve(import.meta.dirname, '../..') },
  },
});
const tree = resolve(opt.tree);
const { MemoryStore } = await import(`${tree}/packages/manager/dist/store/index.js`);
const { MeshTable } = await import(`${tree}/packages/manager/dist/mesh/table.js`);
const { systemClock } = await import(`${tree}/packages/api/dist/index.js`);

/** Commits at once, as a single manager without disk. */
class LocalProposer {
  index = 0;
  apply = () => undefined;
  setApplier(apply) { this.apply = apply; }
  async propose(actions) { this.apply(actions, ++this.index); return this.index; }
}

const META = { version: 1, createdAt: 0, updatedAt: 0 };
const PORTS = [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }];
const NODES = 10;

function task(i) {
  return {
    id: `t${i}`, meta: META, serviceId: 'web', serviceName: 'web', slot: i, nodeId: `n${i % NODES}`, spec: {}, desiredState: 'RUNNING',
    endpoint: { ports: PORTS }, startAt: 0,
    status: {
      timestamp: 0, state: 'RUNNING', message: '', err: '', health: '', container: { containerId: '', pid: 0, exitCode: 0, startedAt: 0 },
      ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 30000 + (i % 30000), publishMode: 'ingress' }],
    },
  };
}

async function measure(n, changes) {
  const store = new MemoryStore(new LocalProposer(), systemClock);
  await store.update((tx) => {
    for (let i = 0; i < NODES; i++) {
      tx.create('nodes', {
        id: `n${i}`, meta: META, spec: { labels: {}, role: 'worker', availability: 'active' }, description: {},
        status: { state: 'ready', message: '', addr: `10.0.0.${i + 1}`, agent: true }, managerStatus: { addr: '', leader: false, reachability: '' }, secretHash: '',
      });
    }
    tx.create('services', { id: 'web', meta: META, spec: { annotations: { name: 'web', labels: {} }, mode: 'replicated', replicas: n, task: {}, endpoint: { ports: PORTS } } });
    for (let i = 1; i <= n; i++) tx.create('tasks', task(i));
  });
  const table = new MeshTable(store);
  const unreachable = new Set();
  table.rebuild(unreachable);
  store.subscribe((e) => {
    if (e.kind === 'commit') return;
    if (table.mark) { table.mark(e); return; }
    // Trees before MeshTable.mark: the dispatcher's marking, as it was.
    const old = e.kind === 'update' ? e.old : e.kind === 'delete' ? e.object : undefined;
    if (e.table === 'tasks') table.task(old, e.kind === 'delete' ? undefined : e.object);
    else if (e.table === 'services') table.service(e.object.id);
  });
  let ms = 0;
  let bytes = 0;
  for (let k = 0; k < changes; k++) {
    const id = `t${1 + ((Math.floor(k / 2) * 37) % n)}`; // leaves, then comes back
    await store.update((tx) => tx.update('tasks', { ...tx.get('tasks', id), desiredState: k % 2 ? 'RUNNING' : 'SHUTDOWN' }));
    const t0 = performance.now();
    const change = table.flush(unreachable);
    ms += performance.now() - t0;
    bytes += JSON.stringify(change ?? {}).length;
  }
  return { tasks: n, flushMsPerChange: Number((ms / changes).toFixed(4)), messageBytesPerChange: Math.round(bytes / changes) };
}

console.log(`tree ${tree}, ${opt.changes} changes, node ${process.version}`);
for (const n of opt.tasks.split(',').map(Number)) console.log(JSON.stringify(await measure(n, Number(opt.changes))));
