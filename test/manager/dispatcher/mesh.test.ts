// The dispatcher's side of the routing mesh, on a store driven directly and a fake clock: the full endpoint table
// after the assignments at registration, then changes to every agent; a task leaving RUNNING leaves the table no
// later than its agent hears it must stop; a node whose session ended or that is silent for a heartbeat period has
// its backends dropped (and restored when it is back); each node's mesh listener stats as its last heartbeat said.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeClock, createLogger, seededRand, type AgentMessageInput, type EndpointTable, type ManagerMessageInput, type MeshListener,
  type Service, type Task, type TaskState,
} from '@shoal/api';
import { Dispatcher } from '../../../packages/manager/src/dispatcher/index.js';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { LocalProposer } from '../store/local-proposer.js';
import { makeService, makeTask } from '../scheduler/fixtures.js';

/** The server side of a session: what the dispatcher writes. */
class FakeCall extends EventEmitter {
  readonly written: ManagerMessageInput[] = [];
  cancelled = false;
  ended = false;
  write(m: ManagerMessageInput): boolean { this.written.push(m); return true; }
  end(): void { this.ended = true; }
  pause(): this { return this; }
  resume(): this { return this; }
  send(m: AgentMessageInput): void { this.emit('data', m); }
  kinds(): string[] { return this.written.map((m) => Object.keys(m)[0]!); }
  tables(): EndpointTable[] { return this.written.flatMap((m) => (m.endpoints ? [m.endpoints as EndpointTable] : [])); }
  /** The endpoint changes received since the last call. */
  take(): EndpointTable[] {
    const out = this.tables().slice(this.seen);
    this.seen += out.length;
    return out;
  }
  private seen = 0;
}

const PERIOD = 1000;
const settle = () => new Promise((r) => setImmediate(r));
const bound = (hostPort: number) => [{ protocol: 'tcp', targetPort: 80, publishedPort: hostPort, publishMode: 'ingress' }];
/** An endpoint change as lines: "service port: backends" for a whole endpoint, "service port: +added -removed" for a backend change. */
const lines = (t: EndpointTable) => [
  ...t.endpoints.map((e) => `${e.serviceName} ${e.publishedPort}: ${e.backends.map((b) => `${b.taskId}@${b.addr}`).join(' ') || '-'}`),
  ...t.removedServices.map((id) => `removed ${id}`),
  ...t.backendChanges.map((c) => `${c.serviceId} ${c.publishedPort}: ${[...c.added.map((b) => `+${b.taskId}@${b.addr}`), ...c.removed.map((id) => `-${id}`)].join(' ')}`),
];

describe('dispatcher: the routing mesh', () => {
  let dispatcher: Dispatcher | undefined;
  afterEach(() => dispatcher?.stop());

  async function setup() {
    const clock = new FakeClock();
    const store = new MemoryStore(new LocalProposer(), clock);
    const web = makeService({ id: 'web', ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }] });
    await store.update((tx) => {
      tx.create('clusters', {
        id: 'c1', meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec: { name: 'default', heartbeatPeriodMs: PERIOD, taskHistoryLimit: 5 },
        workerToken: 'SWMTKN-1-w', managerToken: 'SWMTKN-1-m', createdBy: 'm1',
      });
      tx.create('services', web);
    });
    const d = new Dispatcher({ store, clock, rand: seededRand(7), logger: createLogger('test', 'silent') });
    dispatcher = d;
    d.start();
    const join = async (addr: string, creds?: { nodeId: string; nodeSecret: string }): Promise<{ call: FakeCall; nodeId: string; nodeSecret: string }> => {
      const call = new FakeCall();
      d.handlers().Session!(call as never);
      call.send({ msg: 'register', register: { ...(creds ?? { token: 'SWMTKN-1-w' }), addr, description: {}, engineReady: true } });
      await settle();
      const registered = call.written[0]!.registered!;
      return { call, nodeId: registered.nodeId!, nodeSecret: creds?.nodeSecret ?? registered.nodeSecret! };
    };
    /** Creates a task of `service` on a node, in the given states. */
    const addTask = (id: string, nodeId: string, state: TaskState, hostPort: number, service: Service = web) => store.update((tx) => {
      const t = makeTask({ id, service, nodeId, state, desired: 'RUNNING' });
      tx.create('tasks', { ...t, status: { ...t.status, ports: state === 'RUNNING' ? bound(hostPort) : [] } });
    });
    const setTask = (id: string, patch: (t: Task) => Task) => store.update((tx) => { tx.update('tasks', patch(tx.get('tasks', id)!)); });
    return { clock, store, d, web, join, addTask, setTask };
  }

  it('sends a registering agent the full table after its assignments, then every change to every agent', async () => {
    const { join, addTask, setTask } = await setup();
    const a = await join('10.0.0.1');
    expect(a.call.kinds()).toEqual(['registered', 'managers', 'assignments', 'endpoints']);
    expect(a.call.take().map((t) => [t.full, ...lines(t)])).toEqual([[true, 'web 8080: -']]);

    await addTask('t1', a.nodeId, 'RUNNING', 30001);
    const b = await join('10.0.0.2');
    expect(b.call.kinds()).toEqual(['registered', 'managers', 'assignments', 'endpoints']);
    expect(b.call.take().map((t) => [t.full, ...lines(t)])).toEqual([[true, 'web 8080: t1@10.0.0.1:30001']]);
    expect(a.call.take().map(lines)).toEqual([['web 8080: +t1@10.0.0.1:30001']]);

    await addTask('t2', b.nodeId, 'STARTING', 0);
    expect(a.call.take()).toEqual([]); // not running yet: nothing to say
    await setTask('t2', (t) => ({ ...t, status: { ...t.status, state: 'RUNNING', ports: bound(30002) } }));
    // Only the task that changed, whatever the size of the service.
    for (const s of [a, b]) expect(s.call.take().map((t) => [t.full, ...lines(t)])).toEqual([[false, 'web 8080: +t2@10.0.0.2:30002']]);
    expect(dispatcher!.endpointsOf('web')[0]!.backends.map((x) => x.taskId)).toEqual(['t1', 't2']);

    // A task that fails leaves at once.
    await setTask('t2', (t) => ({ ...t, status: { ...t.status, state: 'FAILED' } }));
    for (const s of [a, b]) expect(s.call.take().map(lines)).toEqual([['web 8080: -t2']]);
  });

  it('removes a task whose desired state leaves RUNNING in a message its agent gets before the assignment change', async () => {
    const { join, addTask, setTask } = await setup();
    const a = await join('10.0.0.1');
    const b = await join('10.0.0.2');
    await addTask('t1', a.nodeId, 'RUNNING', 30001);
    await addTask('t2', a.nodeId, 'RUNNING', 30002);
    a.call.take();
    b.call.take();
    const before = a.call.written.length;
    await setTask('t1', (t) => ({ ...t, desiredState: 'SHUTDOWN' }));
    const after = a.call.written.slice(before);
    expect(after.map((m) => Object.keys(m)[0])).toEqual(['endpoints', 'assignments']);
    expect(lines(after[0]!.endpoints as EndpointTable)).toEqual(['web 8080: -t1']);
    expect(after[1]!.assignments!.tasks!.map((t) => [t.id, t.desiredState])).toEqual([['t1', 'SHUTDOWN']]);
    expect(b.call.take().map(lines)).toEqual([['web 8080: -t1']]);
  });

  it('drops the backends of a node silent for one heartbeat period (not marked down), and restores them at its next beat', async () => {
    const { clock, store, join, addTask } = await setup();
    const a = await join('10.0.0.1');
    const b = await join('10.0.0.2');
    await addTask('t1', a.nodeId, 'RUNNING', 30001);
    await addTask('t2', b.nodeId, 'RUNNING', 30002);
    a.call.take();
    b.call.take();
    // Both beat at half the period; then a falls silent right after its beat.
    clock.advance(PERIOD / 2);
    a.call.send({ heartbeat: { engineReady: true, mesh: [] } });
    b.call.send({ heartbeat: { engineReady: true, mesh: [] } });
    clock.advance(PERIOD / 2);
    b.call.send({ heartbeat: { engineReady: true, mesh: [] } });
    clock.advance(PERIOD / 2 - 1);
    expect(b.call.take()).toEqual([]);
    clock.advance(1); // a period since a's last beat
    for (const s of [a, b]) expect(s.call.take().map(lines)).toEqual([['web 8080: -t1']]);
    await settle();
    expect(store.get('nodes', a.nodeId)!.status.state).toBe('ready');

    a.call.send({ heartbeat: { engineReady: true, mesh: [] } });
    for (const s of [a, b]) expect(s.call.take().map(lines)).toEqual([['web 8080: +t1@10.0.0.1:30001']]);
  });

  it('drops the backends of a node whose session ended at once, and sends it the table with them when it registers again', async () => {
    const { join, addTask } = await setup();
    const a = await join('10.0.0.1');
    const b = await join('10.0.0.2');
    await addTask('t1', a.nodeId, 'RUNNING', 30001);
    await addTask('t2', b.nodeId, 'RUNNING', 30002);
    b.call.take();
    a.call.emit('cancelled');
    expect(b.call.take().map(lines)).toEqual([['web 8080: -t1']]);

    const again = await join('10.0.0.1', { nodeId: a.nodeId, nodeSecret: a.nodeSecret });
    expect(b.call.take().map(lines)).toEqual([['web 8080: +t1@10.0.0.1:30001']]);
    expect(again.call.take().map((t) => [t.full, ...lines(t)])).toEqual([[true, 'web 8080: t1@10.0.0.1:30001 t2@10.0.0.2:30002']]);
  });

  it('drops the backends of a node whose engine is down (the node is DOWN), and sends nothing for tasks of services without ingress ports', async () => {
    const { store, join, addTask } = await setup();
    const a = await join('10.0.0.1');
    const b = await join('10.0.0.2');
    await addTask('t1', a.nodeId, 'RUNNING', 30001);
    await addTask('t2', b.nodeId, 'RUNNING', 30002);
    const db = makeService({ id: 'db', ports: [{ protocol: 'tcp', targetPort: 5432, publishedPort: 5432, publishMode: 'host' }] });
    await store.update((tx) => tx.create('services', db));
    await addTask('t3', a.nodeId, 'RUNNING', 5432, db);
    b.call.take();
    a.call.send({ heartbeat: { engineReady: false, engineMessage: 'cannot reach Docker engine', mesh: [] } });
    await settle();
    expect(b.call.take().map(lines)).toEqual([['web 8080: -t1']]);
  });

  it('follows services: a new one with ingress ports, one changing its port, one removed; none for host-mode ports', async () => {
    const { store, join, web } = await setup();
    const a = await join('10.0.0.1');
    a.call.take();
    await store.update((tx) => tx.create('services', makeService({ id: 'api', ports: [{ protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'ingress' }] })));
    await store.update((tx) => tx.create('services', makeService({ id: 'db', ports: [{ protocol: 'tcp', targetPort: 5432, publishedPort: 5432, publishMode: 'host' }] })));
    await store.update((tx) => {
      const s = tx.get('services', 'web')!;
      tx.update('services', { ...s, spec: { ...s.spec, endpoint: { ports: [{ ...web.spec.endpoint.ports[0]!, publishedPort: 9090 }] } } });
    });
    await store.update((tx) => tx.delete('services', 'api'));
    expect(a.call.take().map(lines)).toEqual([['api 5353: -'], ['web 9090: -'], ['removed api']]);
    expect(dispatcher!.endpointsOf('web').map((e) => e.publishedPort)).toEqual([9090]);
    expect(dispatcher!.endpointsOf('db')).toEqual([]);
  });

  it('keeps each connected node\'s mesh listeners from its latest heartbeat, and forgets them when its session ends', async () => {
    const { join } = await setup();
    const a = await join('10.0.0.1');
    const stats = (active: number): MeshListener => ({
      addr: '10.0.0.1:8080', protocol: 'tcp', serviceName: 'web', active, total: 10, failures: 1, bytesIn: 100, bytesOut: 2000, error: '',
    });
    expect(dispatcher!.meshOf(a.nodeId)).toEqual([]);
    a.call.send({ heartbeat: { engineReady: true, mesh: [stats(3)] } });
    a.call.send({ heartbeat: { engineReady: true, mesh: [stats(2)] } });
    expect(dispatcher!.meshOf(a.nodeId)).toEqual([stats(2)]);
    a.call.emit('cancelled');
    expect(dispatcher!.meshOf(a.nodeId)).toEqual([]);
  });
});
