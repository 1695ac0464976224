import { describe, expect, it } from 'vitest';
import { FakeClock, SequenceConflictError, type Service, type Task } from '@shoal/api';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { HeldProposer } from './held-proposer.js';

function service(id: string, name: string): Service {
  return { id, meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec: { annotations: { name, labels: {} }, mode: 'replicated', replicas: 1 } } as unknown as Service;
}
function task(id: string, serviceId: string): Task {
  return { id, serviceId, nodeId: 'n1', slot: 1, meta: { version: 0, createdAt: 0, updatedAt: 0 }, status: { state: 'NEW' }, desiredState: 'RUNNING' } as unknown as Task;
}

/** Lets the store's turn (a microtask) and the settled proposals' callbacks run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A store over a HeldProposer with service s1 committed, and one transaction (task t0) in flight. */
async function storeWithOneInFlight(): Promise<{ store: MemoryStore; proposer: HeldProposer; inFlight: Promise<unknown> }> {
  const proposer = new HeldProposer();
  const store = new MemoryStore(proposer, new FakeClock(1000));
  const created = store.update((tx) => tx.create('services', service('s1', 'web')));
  await turn();
  proposer.commit();
  await created;
  const inFlight = store.update((tx) => tx.create('tasks', task('t0', 's1')));
  await turn();
  expect(proposer.held).toHaveLength(1);
  return { store, proposer, inFlight };
}

describe('MemoryStore group commit', () => {
  it('updates of one synchronous run are proposed together, each resolving with its own entry', async () => {
    const proposer = new HeldProposer();
    const store = new MemoryStore(proposer, new FakeClock());
    const updates = ['a', 'b', 'c'].map((id) => store.update((tx) => { tx.create('tasks', task(id, 's1')); return id; }));
    await turn();
    expect(proposer.held).toHaveLength(3);
    proposer.commit();
    expect(await Promise.all(updates)).toEqual(['a', 'b', 'c']);
    expect(['a', 'b', 'c'].map((id) => store.get('tasks', id)?.meta.version)).toEqual([1, 2, 3]);
  });

  it('transactions queued while a proposal is in flight run together after it, each over the writes of the ones before it', async () => {
    const { store, proposer, inFlight } = await storeWithOneInFlight();
    const createT1 = store.update((tx) => tx.create('tasks', task('t1', 's1')));
    const shutT1 = store.update((tx) => {
      const t1 = tx.get('tasks', 't1')!;
      tx.update('tasks', { ...t1, desiredState: 'SHUTDOWN' });
      return tx.findTasks({ serviceId: 's1' }).map((t) => `${t.id}:${t.desiredState}`).sort();
    });
    const count = store.update((tx) => tx.all('tasks').length);
    await turn();
    // Nothing more is proposed while t0 is in flight.
    expect(proposer.held).toHaveLength(1);

    proposer.commit();
    await inFlight;
    await turn();
    // The read-only transaction needs no proposal; it saw t0 (committed) and t1 (pending).
    expect(await count).toBe(2);
    expect(proposer.held).toHaveLength(2);
    proposer.commit(1);
    await createT1;
    expect(store.get('tasks', 't1')?.desiredState).toBe('RUNNING');
    proposer.commit(1);
    expect(await shutT1).toEqual(['t0:RUNNING', 't1:SHUTDOWN']);
    expect(store.get('tasks', 't1')).toMatchObject({ desiredState: 'SHUTDOWN', meta: { version: 4 } });
  });

  it('a write based on a version an earlier transaction of its group replaced conflicts; a throwing transaction is dropped alone', async () => {
    const { store, proposer, inFlight } = await storeWithOneInFlight();
    const stale = store.get('services', 's1')!;
    const scale2 = store.update((tx) => tx.update('services', { ...stale, spec: { ...stale.spec, replicas: 2 } }));
    // Caught at once: they fail in the group's turn, before the test looks.
    const scale3 = store.update((tx) => tx.update('services', { ...stale, spec: { ...stale.spec, replicas: 3 } })).catch((e: unknown) => e);
    const boom = store.update(() => { throw new Error('boom'); }).catch((e: unknown) => e);
    const createT2 = store.update((tx) => tx.create('tasks', task('t2', 's1')));
    proposer.commit();
    await inFlight;
    await turn();
    expect(await scale3).toBeInstanceOf(SequenceConflictError);
    expect(await boom).toMatchObject({ message: 'boom' });
    expect(proposer.held).toHaveLength(2);
    proposer.commit();
    await Promise.all([scale2, createT2]);
    expect(store.get('services', 's1')?.spec.replicas).toBe(2);
    expect(store.get('tasks', 't2')).toBeDefined();
  });

  it('a failed proposal fails every transaction of its group with its error and applies nothing; the next group runs', async () => {
    const { store, proposer, inFlight } = await storeWithOneInFlight();
    const createT1 = store.update((tx) => tx.create('tasks', task('t1', 's1'))).catch((e: unknown) => e);
    const deleteT1 = store.update((tx) => tx.delete('tasks', 't1')).catch((e: unknown) => e);
    proposer.commit();
    await inFlight;
    await turn();
    expect(proposer.held).toHaveLength(2);
    const lost = new Error('leadership was lost');
    proposer.fail(lost, 1);
    expect(await createT1).toBe(lost);
    expect(await deleteT1).toBe(lost);
    proposer.fail(new Error('the second one fails too'));
    await turn();
    expect(store.get('tasks', 't1')).toBeUndefined();
    const again = store.update((tx) => tx.create('tasks', task('t1', 's1')));
    await turn();
    proposer.commit();
    await again;
    expect(store.get('tasks', 't1')).toBeDefined();
  });
});
