// The leader's endpoint table kept from store changes: a service changes whole, a task alone (a backend change),
// and what a change reads does not grow with the size of the service.
import { describe, expect, it } from 'vitest';
import { FakeClock, type EndpointTable, type Node, type PortConfig, type Service, type Task } from '@shoal/api';
import { serviceEndpoints } from '../../../packages/manager/src/mesh/endpoints.js';
import { MeshTable } from '../../../packages/manager/src/mesh/table.js';
import { MemoryStore, type ReadTx } from '../../../packages/manager/src/store/index.js';
import { LocalProposer } from '../store/local-proposer.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';

const ingress = (publishedPort: number, protocol = 'tcp'): PortConfig => ({ protocol, targetPort: 80, publishedPort, publishMode: 'ingress' });
const bound = (hostPort: number, protocol = 'tcp'): PortConfig[] => [{ protocol, targetPort: 80, publishedPort: hostPort, publishMode: 'ingress' }];

function node(id: string, addr: string): Node {
  const n = makeNode({ id });
  return { ...n, status: { ...n.status, addr } };
}

function running(id: string, service: Service, nodeId: string, hostPort: number): Task {
  const t = makeTask({ id, service, nodeId, state: 'RUNNING' });
  return { ...t, status: { ...t.status, ports: bound(hostPort) } };
}

/** A change as lines: "service port: backends" for a whole endpoint, "service port: +added -removed" for a backend change. */
const lines = (t: EndpointTable | undefined) => (t ? [
  ...t.endpoints.map((e) => `${e.serviceId} ${e.publishedPort}: ${e.backends.map((b) => `${b.taskId}@${b.addr}`).join(' ') || '-'}`),
  ...t.removedServices.map((id) => `removed ${id}`),
  ...t.backendChanges.map((c) => `${c.serviceId} ${c.publishedPort}: ${[...c.added.map((b) => `+${b.taskId}@${b.addr}`), ...c.removed.map((id) => `-${id}`)].join(' ')}`),
] : []);

async function setup(tasks = 2) {
  const store = new MemoryStore(new LocalProposer(), new FakeClock());
  const web = makeService({ id: 'web', ports: [ingress(8080)] });
  const db = makeService({ id: 'db', ports: [{ ...ingress(5432), publishMode: 'host' }] });
  await store.update((tx) => {
    tx.create('nodes', node('n1', '10.0.0.1'));
    tx.create('nodes', node('n2', '10.0.0.2'));
    tx.create('services', web);
    tx.create('services', db);
    for (let i = 1; i <= tasks; i++) tx.create('tasks', running(`t${i}`, web, i % 2 ? 'n1' : 'n2', 30000 + i));
  });
  // Reads counted: a task's change must not read its whole service.
  const reads = { findTasks: 0 };
  const counted: ReadTx = new Proxy(store as ReadTx, {
    get(target, prop, receiver) {
      if (prop === 'findTasks') reads.findTasks++;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const table = new MeshTable(counted);
  const unreachable = new Set<string>();
  table.rebuild(unreachable);
  store.subscribe((e) => { if (e.kind !== 'commit') table.mark(e); });
  /** Writes, then flushes as the dispatcher does at the commit. */
  const change = async (fn: Parameters<typeof store.update>[0]) => {
    await store.update(fn);
    reads.findTasks = 0;
    return table.flush(unreachable);
  };
  const setTask = (id: string, f: (t: Task) => Task) => change((tx) => tx.update('tasks', f(tx.get('tasks', id)!)));
  /** What the table holds equals the endpoints computed from the store from scratch. */
  const consistent = () => expect(table.endpointsOf('web')).toEqual(serviceEndpoints(store.get('services', 'web')!, store.findTasks({ serviceId: 'web' }), (id) => store.get('nodes', id), unreachable));
  return { store, web, table, unreachable, reads, change, setTask, consistent };
}

describe('mesh table', () => {
  it('holds the services with ingress ports, backends by task id, and sends them whole to a new agent', async () => {
    const { table } = await setup(3);
    expect(lines(table.full())).toEqual(['web 8080: t1@10.0.0.1:30001 t2@10.0.0.2:30002 t3@10.0.0.1:30003']);
    expect(table.full().full).toBe(true);
    expect(table.endpointsOf('db')).toEqual([]);
  });

  it('sends a task that begins or stops serving as a backend change, alone', async () => {
    const { web, change, setTask, consistent } = await setup();
    expect(lines(await change((tx) => tx.create('tasks', running('t9', web, 'n2', 30009))))).toEqual(['web 8080: +t9@10.0.0.2:30009']);
    consistent();
    expect(lines(await setTask('t1', (t) => ({ ...t, desiredState: 'SHUTDOWN' })))).toEqual(['web 8080: -t1']);
    expect(lines(await setTask('t2', (t) => ({ ...t, status: { ...t.status, state: 'FAILED' } })))).toEqual(['web 8080: -t2']);
    expect(lines(await change((tx) => tx.delete('tasks', 't9')))).toEqual(['web 8080: -t9']);
    consistent();
  });

  it('sends a task bound again on another host port as removed then added', async () => {
    const { setTask, consistent } = await setup();
    expect(lines(await setTask('t1', (t) => ({ ...t, status: { ...t.status, ports: bound(31111) } })))).toEqual(['web 8080: +t1@10.0.0.1:31111 -t1']);
    consistent();
  });

  it('sends nothing for a change that does not touch a backend: a task not serving, or of a service without ingress ports', async () => {
    const { store, change, setTask } = await setup();
    expect(await setTask('t1', (t) => ({ ...t, status: { ...t.status, message: 'still running' } }))).toBeUndefined();
    const db = store.get('services', 'db')!;
    expect(await change((tx) => tx.create('tasks', running('d1', db, 'n1', 5432)))).toBeUndefined();
    expect(await change((tx) => tx.create('tasks', { ...running('t8', store.get('services', 'web')!, 'n1', 30008), desiredState: 'READY' }))).toBeUndefined();
  });

  it('merges the changes of one flush into one per endpoint', async () => {
    const { web, change } = await setup();
    const t = await change((tx) => {
      tx.create('tasks', running('t5', web, 'n1', 30005));
      tx.create('tasks', running('t6', web, 'n2', 30006));
      tx.delete('tasks', 't1');
    });
    expect(t!.backendChanges).toHaveLength(1);
    expect(lines(t)).toEqual(['web 8080: +t5@10.0.0.1:30005 +t6@10.0.0.2:30006 -t1']);
  });

  it('drops the backends of a node that becomes unreachable and restores them, reading only that node\'s tasks', async () => {
    const { table, unreachable, consistent } = await setup(4);
    unreachable.add('n1');
    table.markNode('n1');
    expect(lines(table.flush(unreachable))).toEqual(['web 8080: -t1 -t3']);
    consistent();
    unreachable.delete('n1');
    table.markNode('n1');
    expect(lines(table.flush(unreachable))).toEqual(['web 8080: +t1@10.0.0.1:30001 +t3@10.0.0.1:30003']);
    consistent();
  });

  it('sends a service that changes its ports whole, and one removed as removed', async () => {
    const { store, change, consistent } = await setup();
    const updated = await change((tx) => {
      const s = tx.get('services', 'web')!;
      tx.update('services', { ...s, spec: { ...s.spec, endpoint: { ports: [ingress(9090)] } } });
      tx.delete('tasks', 't2'); // in the same flush: part of the whole service
    });
    expect(lines(updated)).toEqual(['web 9090: t1@10.0.0.1:30001']);
    consistent();
    expect(lines(await change((tx) => tx.update('services', { ...store.get('services', 'web')! })))).toEqual([]); // same endpoints: nothing
    expect(lines(await change((tx) => tx.delete('services', 'web')))).toEqual(['removed web']);
    expect(lines(await change((tx) => tx.create('services', makeService({ id: 'api', ports: [ingress(53, 'udp')] }))))).toEqual(['api 53: -']);
  });

  it('costs per task: one task of a 10,000-task service changes without reading the service\'s tasks', async () => {
    const { table, setTask, reads, consistent } = await setup(10_000);
    const t = await setTask('t77', (x) => ({ ...x, desiredState: 'SHUTDOWN' }));
    expect(reads.findTasks).toBe(0);
    expect(lines(t)).toEqual(['web 8080: -t77']);
    expect(table.endpointsOf('web')[0]!.backends).toHaveLength(9_999);
    consistent();
  });
});
