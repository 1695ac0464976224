// The leader's loops on a store driven by a fake clock: a service becomes placed tasks, a node going down
// moves its replicas, a delayed restart waits for its time.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, createLogger, seededRand, type Node, type Service } from '@shoal/api';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { LocalProposer } from '../store/local-proposer.js';
import { startLeaderLoops } from '../../../packages/manager/src/leader-loops.js';

function node(id: string, hostname: string): Node {
  return {
    id, meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role: 'worker', availability: 'active' },
    description: { hostname, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 4 << 30 }, engineLabels: {}, engineVersion: '20.10' },
    status: { state: 'ready', message: '', addr: '127.0.0.2', agent: true },
    managerStatus: { addr: '', leader: false, reachability: '' }, secretHash: '',
  };
}

function service(id: string, replicas: number, restartDelayMs = 0): Service {
  return {
    id, meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: {
      annotations: { name: id, labels: {} }, mode: 'replicated', replicas,
      task: {
        container: { image: 'img', command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '', mounts: [], stopGracePeriodMs: 10_000 },
        resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } },
        restart: { condition: 'any', delayMs: restartDelayMs, maxAttempts: 0, windowMs: 0 },
        placement: { constraints: [] },
      },
      endpoint: { ports: [] },
      registryAuth: { username: '', password: '', serverAddress: '' },
    },
  };
}

describe('leader loops', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  async function setup() {
    const clock = new FakeClock();
    const store = new MemoryStore(new LocalProposer(), clock);
    // One manager that leads alone: the membership loop has nothing to change.
    const membership = {
      isLeader: true,
      leaderInfo: () => ({ id: 'm1', addr: '127.0.0.1:4242' }),
      members: () => [{ id: 'm1', addr: '127.0.0.1:4242', reachable: true }],
      reachabilitySettled: () => true,
      addVoter: () => Promise.reject(new Error('unexpected')),
      removeVoter: () => Promise.reject(new Error('unexpected')),
      transferLeadership: () => Promise.reject(new Error('unexpected')),
    };
    stop = startLeaderLoops({ store, clock, rand: seededRand(7), logger: createLogger('test', 'silent'), membership, self: 'm1' });
    /** Lets every due timer fire and every pass commit, as many rounds as it takes to go quiet. */
    const settle = async (ms = 0) => {
      clock.advance(ms);
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setImmediate(r));
        clock.advance(20);
      }
    };
    const running = (serviceId: string) => store.findTasks({ serviceId }).filter((t) => t.desiredState === 'RUNNING');
    return { clock, store, settle, running };
  }

  /** What an agent would report: every assigned task runs. */
  async function runAssigned(store: MemoryStore): Promise<void> {
    await store.update((tx) => {
      for (const t of tx.all('tasks')) {
        if (t.status.state === 'ASSIGNED' && t.desiredState === 'RUNNING') tx.update('tasks', { ...t, status: { ...t.status, state: 'RUNNING' } });
      }
    });
  }

  it('turns a new service into tasks spread over the ready nodes', async () => {
    const { store, settle, running } = await setup();
    await store.update((tx) => { for (const [id, h] of [['n1', 'a'], ['n2', 'b'], ['n3', 'c']]) tx.create('nodes', node(id!, h!)); });
    await store.update((tx) => tx.create('services', service('web', 6)));
    await settle();
    const tasks = running('web');
    expect(tasks.map((t) => t.slot).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tasks.every((t) => t.status.state === 'ASSIGNED')).toBe(true);
    const perNode = new Map<string, number>();
    for (const t of tasks) perNode.set(t.nodeId, (perNode.get(t.nodeId) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
  });

  it('keeps a task pending with the reason, and places it once a node fits', async () => {
    const { store, settle, running } = await setup();
    await store.update((tx) => tx.create('services', service('web', 1)));
    await settle();
    expect(running('web')[0]?.status).toMatchObject({ state: 'PENDING', err: 'no suitable node' });
    await store.update((tx) => tx.create('nodes', node('n1', 'a')));
    await settle();
    expect(running('web')[0]?.status.state).toBe('ASSIGNED');
  });

  it('replaces the replicas of a node that goes down on the other nodes', async () => {
    const { store, settle, running } = await setup();
    await store.update((tx) => { tx.create('nodes', node('n1', 'a')); tx.create('nodes', node('n2', 'b')); });
    await store.update((tx) => tx.create('services', service('web', 4)));
    await settle();
    await runAssigned(store);
    await store.update((tx) => { const n = tx.get('nodes', 'n2')!; tx.update('nodes', { ...n, status: { ...n.status, state: 'down' } }); });
    await settle();
    const live = running('web');
    expect(live).toHaveLength(4);
    expect(live.every((t) => t.nodeId === 'n1')).toBe(true);
    // The tasks of the down node are deleted: its agent, if it returns, stops and removes their containers.
    expect(store.findTasks({ serviceId: 'web', nodeId: 'n2' })).toEqual([]);
  });

  it('restarts a failed task only after its restart delay', async () => {
    const { store, settle, running } = await setup();
    await store.update((tx) => tx.create('nodes', node('n1', 'a')));
    await store.update((tx) => tx.create('services', service('web', 1, 5_000)));
    await settle();
    await runAssigned(store);
    await store.update((tx) => { const t = tx.findTasks({ serviceId: 'web' })[0]!; tx.update('tasks', { ...t, status: { ...t.status, state: 'FAILED' } }); });
    await settle();
    const waiting = store.findTasks({ serviceId: 'web' }).filter((t) => t.desiredState === 'READY');
    expect(waiting).toHaveLength(1);
    await settle(4_000);
    expect(running('web')).toHaveLength(0);
    await settle(1_000);
    expect(running('web')).toHaveLength(1);
    expect(running('web')[0]?.slot).toBe(1);
  });

  it('scales down by removing whole slots, leaving no history', async () => {
    const { store, settle, running } = await setup();
    await store.update((tx) => { tx.create('nodes', node('n1', 'a')); tx.create('nodes', node('n2', 'b')); });
    await store.update((tx) => tx.create('services', service('web', 4)));
    await settle();
    await runAssigned(store);
    await store.update((tx) => { const s = tx.get('services', 'web')!; tx.update('services', { ...s, spec: { ...s.spec, replicas: 2 } }); });
    await settle();
    expect(running('web')).toHaveLength(2);
    expect(new Set(running('web').map((t) => t.nodeId)).size).toBe(2);
  });
});
