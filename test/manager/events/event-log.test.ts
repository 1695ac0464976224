// Store changes become events: which changes make one, their attributes, their index and time, the ring's bound.
import { describe, expect, it } from 'vitest';
import { FakeClock, type Event } from '@shoal/api';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { EventLog, INDEX_STRIDE } from '../../../packages/manager/src/events/index.js';
import { LocalProposer } from '../store/local-proposer.js';
import { node, service, task } from './fixtures.js';

function setup(capacity = 100) {
  const clock = new FakeClock(1_000);
  const proposer = new LocalProposer();
  const store = new MemoryStore(proposer, clock);
  const log = new EventLog(store, capacity, clock);
  log.start();
  const seen: Event[] = [];
  let closed = 0;
  log.subscribe({ event: (r) => seen.push(r.event), closed: () => { closed++; } });
  return { clock, proposer, store, log, seen, closed: () => closed };
}

const brief = (e: Event) => `${e.type} ${e.action} ${e.name}`;

describe('EventLog', () => {
  it('turns service, node and task creates, updates and removals into events, numbered by entry and position', async () => {
    const { store, seen, clock } = setup();
    await store.update((tx) => { tx.create('nodes', node('n1', 'host-1')); });
    clock.advance(500);
    await store.update((tx) => {
      tx.create('services', service('s1', 'web'));
      tx.create('tasks', task('t1', 's1', 'web', 1, 'n1'));
    });
    expect(seen.map(brief)).toEqual(['node create host-1', 'service create web', 'task create web.1']);
    expect(seen.map((e) => e.index)).toEqual([1 * INDEX_STRIDE, 2 * INDEX_STRIDE, 2 * INDEX_STRIDE + 1]);
    expect(seen.map((e) => e.time)).toEqual([1_000, 1_500, 1_500]);
    expect(seen[1]!.attributes).toEqual({ name: 'web', image: 'img:1' });
    expect(seen[2]!.attributes).toEqual({ name: 'web.1', service: 'web', slot: '1', node: 'n1', state: 'new', desired: 'running' });
    expect(seen[0]!.attributes).toEqual({ name: 'host-1', hostname: 'host-1', state: 'ready', availability: 'active', role: 'worker' });

    clock.advance(500);
    await store.update((tx) => { tx.delete('tasks', 't1'); tx.delete('services', 's1'); });
    expect(seen.slice(3).map(brief)).toEqual(['task remove web.1', 'service remove web']);
    // A removal has no time of its own: the time it is applied.
    expect(seen.slice(3).map((e) => e.time)).toEqual([2_000, 2_000]);
  });

  it('emits a task update only when its state, desired state, node or health changed', async () => {
    const { store, seen } = setup();
    await store.update((tx) => { tx.create('services', service('s1', 'web')); tx.create('tasks', task('t1', 's1', 'web', 1)); });
    seen.length = 0;
    const put = (f: (t: ReturnType<typeof task>) => ReturnType<typeof task>) => store.update((tx) => tx.update('tasks', f(tx.get('tasks', 't1')!)));
    await put((t) => ({ ...t, status: { ...t.status, message: 'pulling', timestamp: 5 } })); // a status message only
    await put((t) => ({ ...t, nodeId: 'n1', status: { ...t.status, state: 'ASSIGNED' } }));
    await put((t) => ({ ...t, status: { ...t.status, state: 'RUNNING' } }));
    await put((t) => ({ ...t, status: { ...t.status, message: 'still running', timestamp: 9 } }));
    await put((t) => ({ ...t, status: { ...t.status, health: 'healthy' } }));
    await put((t) => ({ ...t, desiredState: 'SHUTDOWN' }));
    await put((t) => ({ ...t, status: { ...t.status, state: 'FAILED', err: 'exit 1' } }));
    expect(seen.map((e) => e.attributes['state'])).toEqual(['assigned', 'running', 'running', 'running', 'failed']);
    expect(seen[0]!.attributes).toMatchObject({ node: 'n1', 'state.old': 'new' });
    expect(seen[2]!.attributes).toMatchObject({ health: 'healthy' });
    expect(seen[3]!.attributes).toMatchObject({ desired: 'shutdown', 'desired.old': 'running' });
    expect(seen[4]!.attributes).toMatchObject({ err: 'exit 1', 'state.old': 'running' });
    expect(seen.every((e) => e.type === 'task' && e.action === 'update')).toBe(true);
  });

  it('emits a node update only when hostname, state, availability or role changed', async () => {
    const { store, seen } = setup();
    await store.update((tx) => { tx.create('nodes', node('n1', 'host-1')); });
    seen.length = 0;
    const put = (f: (n: ReturnType<typeof node>) => ReturnType<typeof node>) => store.update((tx) => tx.update('nodes', f(tx.get('nodes', 'n1')!)));
    await put((n) => ({ ...n, status: { ...n.status, message: 'heartbeat', addr: '127.0.0.3' } }));
    await put((n) => ({ ...n, status: { ...n.status, state: 'down' } }));
    await put((n) => ({ ...n, spec: { ...n.spec, availability: 'drain' } }));
    expect(seen.map((e) => e.attributes)).toEqual([
      { name: 'host-1', hostname: 'host-1', state: 'down', 'state.old': 'ready', availability: 'active', role: 'worker' },
      { name: 'host-1', hostname: 'host-1', state: 'down', availability: 'drain', 'availability.old': 'active', role: 'worker' },
    ]);
  });

  it('names a global task by its node and gives the update state of a service that changed it', async () => {
    const { store, seen } = setup();
    await store.update((tx) => { tx.create('services', service('s1', 'agentd')); tx.create('tasks', task('t1', 's1', 'agentd', 0, 'n9')); });
    expect(seen[1]!.name).toBe('agentd.n9');
    expect(seen[1]!.attributes['slot']).toBeUndefined();
    const s = store.get('services', 's1')!;
    await store.update((tx) => tx.update('services', { ...s, updateStatus: { ...s.updateStatus, state: 'updating' } }));
    expect(seen[2]!.attributes).toEqual({ name: 'agentd', image: 'img:1', 'updatestate.old': '', 'updatestate.new': 'updating' });
    const s2 = store.get('services', 's1')!;
    await store.update((tx) => tx.update('services', { ...s2, updateStatus: { ...s2.updateStatus, message: 'progress' } }));
    expect(seen).toHaveLength(3);
  });

  it('makes no event of the cluster object, and none of a transaction that changed nothing it reports', async () => {
    const { store, seen, log } = setup();
    await store.update((tx) => tx.create('clusters', { id: 'c1', meta: { version: 0, createdAt: 0, updatedAt: 0 } } as never));
    expect(seen).toEqual([]);
    expect(log.ring.size).toBe(0);
  });

  it('keeps only the latest events in its ring, and ends its subscribers when it stops', async () => {
    const { store, log, closed } = setup(3);
    for (let i = 1; i <= 5; i++) await store.update((tx) => tx.create('nodes', node(`n${i}`, `host-${i}`)));
    expect([...log.ring.records()].map((r) => r.event.name)).toEqual(['host-3', 'host-4', 'host-5']);
    log.stop();
    expect(closed()).toBe(1);
    expect(log.subscriberCount).toBe(0);
    await store.update((tx) => tx.create('nodes', node('n6', 'host-6')));
    expect(log.ring.size).toBe(3);
    expect(log.ring.oldest()?.event.name).toBe('host-3');
  });

  it('gives the same indexes on every manager that applies the same entries', async () => {
    const a = setup();
    const b = setup();
    for (const m of [a, b]) {
      await m.store.update((tx) => { tx.create('services', service('s1', 'web')); tx.create('tasks', task('t1', 's1', 'web', 1)); });
      await m.store.update((tx) => tx.delete('tasks', 't1'));
    }
    expect(a.seen.map((e) => e.index)).toEqual(b.seen.map((e) => e.index));
  });
});
