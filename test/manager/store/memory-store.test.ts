import { describe, expect, it } from 'vitest';
import { FakeClock, SequenceConflictError, NotFoundError, AlreadyExistsError, type Service, type Task } from '@shoal/api';
import { MemoryStore, type StoreEvent } from '../../../packages/manager/src/store/index.js';
import { LocalProposer } from './local-proposer.js';

function service(id: string, name: string): Service {
  return { id, meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec: { annotations: { name, labels: {} }, mode: 'replicated', replicas: 1 } } as unknown as Service;
}
function task(id: string, serviceId: string, nodeId: string, slot: number): Task {
  return { id, serviceId, nodeId, slot, meta: { version: 0, createdAt: 0, updatedAt: 0 }, status: { state: 'NEW' }, desiredState: 'RUNNING' } as unknown as Task;
}

describe('MemoryStore', () => {
  it('commits a transaction as one batch, stamps versions and times, and publishes events then commit', async () => {
    const clock = new FakeClock(1000);
    const store = new MemoryStore(new LocalProposer(), clock);
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    await store.update((tx) => {
      tx.create('services', service('s1', 'web'));
      tx.create('tasks', task('t1', 's1', 'n1', 1));
    });
    expect(store.get('services', 's1')?.meta).toEqual({ version: 1, createdAt: 1000, updatedAt: 1000 });
    expect(events.map((e) => e.kind)).toEqual(['create', 'create', 'commit']);
  });

  it('rejects a write based on a stale version and changes nothing', async () => {
    const store = new MemoryStore(new LocalProposer(), new FakeClock());
    await store.update((tx) => tx.create('services', service('s1', 'web')));
    const stale = store.get('services', 's1')!;
    await store.update((tx) => tx.update('services', { ...stale, spec: { ...stale.spec, replicas: 2 } }));
    await expect(store.update((tx) => tx.update('services', { ...stale, spec: { ...stale.spec, replicas: 3 } }))).rejects.toBeInstanceOf(SequenceConflictError);
    expect(store.get('services', 's1')?.spec.replicas).toBe(2);
  });

  it('a failing transaction writes nothing, and the next one still runs', async () => {
    const store = new MemoryStore(new LocalProposer(), new FakeClock());
    await expect(store.update((tx) => { tx.create('services', service('s1', 'web')); tx.delete('tasks', 'nope'); })).rejects.toBeInstanceOf(NotFoundError);
    expect(store.get('services', 's1')).toBeUndefined();
    await store.update((tx) => tx.create('services', service('s1', 'web')));
    await expect(store.update((tx) => tx.create('services', service('s1', 'web')))).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('indexes tasks by service, node and slot, and sees its own writes inside a transaction', async () => {
    const store = new MemoryStore(new LocalProposer(), new FakeClock());
    await store.update((tx) => {
      tx.create('tasks', task('a', 's1', 'n1', 1));
      tx.create('tasks', task('b', 's1', 'n2', 2));
      tx.create('tasks', task('c', 's2', 'n1', 1));
      expect(tx.findTasks({ serviceId: 's1' }).map((t) => t.id).sort()).toEqual(['a', 'b']);
    });
    expect(store.findTasks({ nodeId: 'n1' }).map((t) => t.id).sort()).toEqual(['a', 'c']);
    expect(store.findTasks({ serviceId: 's1', slot: 2 }).map((t) => t.id)).toEqual(['b']);
    await store.update((tx) => {
      tx.delete('tasks', 'a');
      expect(tx.findTasks({ serviceId: 's1' }).map((t) => t.id)).toEqual(['b']);
    });
    expect(store.findTasks({ nodeId: 'n1' }).map((t) => t.id)).toEqual(['c']);
  });

  it('finds services by name, also after a rename-free update and a delete', async () => {
    const store = new MemoryStore(new LocalProposer(), new FakeClock());
    await store.update((tx) => tx.create('services', service('s1', 'web')));
    expect(store.serviceByName('web')?.id).toBe('s1');
    await store.update((tx) => tx.delete('services', 's1'));
    expect(store.serviceByName('web')).toBeUndefined();
  });
});

describe('MemoryStore snapshots', () => {
  it('restores exactly the state it was snapshotted in, replacing what was there, indexes included', async () => {
    const source = new MemoryStore(new LocalProposer(), new FakeClock());
    await source.update((tx) => {
      tx.create('services', service('s1', 'web'));
      tx.create('tasks', task('t1', 's1', 'n1', 1));
    });
    const snapshot = [...source.objects()];

    const target = new MemoryStore(new LocalProposer(), new FakeClock());
    await target.update((tx) => { tx.create('services', service('old', 'api')); tx.create('tasks', task('t9', 'old', 'n1', 1)); });
    target.restore(snapshot, source.lastIndex);
    expect(target.lastIndex).toBe(source.lastIndex);
    expect(target.all('services').map((s) => s.id)).toEqual(['s1']);
    expect(target.serviceByName('api')).toBeUndefined();
    expect(target.findTasks({ nodeId: 'n1' }).map((t) => t.id)).toEqual(['t1']);
    expect(target.get('services', 's1')).toEqual(source.get('services', 's1'));
  });

  it('encodes its state as snapshot bytes that restoreSnapshot takes back, newlines in values included', async () => {
    const source = new MemoryStore(new LocalProposer(), new FakeClock());
    await source.update((tx) => {
      tx.create('services', service('s1', 'multi\nline "name"'));
      tx.create('tasks', task('t1', 's1', 'n1', 1));
      tx.create('tasks', task('t2', 's1', 'n2', 2));
    });
    const target = new MemoryStore(new LocalProposer(), new FakeClock());
    await target.update((tx) => tx.create('tasks', task('t9', 'old', 'n1', 1)));
    target.restoreSnapshot(source.encodeSnapshot(), source.lastIndex);
    expect([...target.objects()]).toEqual([...source.objects()]);
    expect(target.serviceByName('multi\nline "name"')?.id).toBe('s1');
    expect(target.findTasks({ nodeId: 'n1' }).map((t) => t.id)).toEqual(['t1']);

    const empty = new MemoryStore(new LocalProposer(), new FakeClock());
    target.restoreSnapshot(empty.encodeSnapshot(), 7);
    expect([...target.objects()]).toEqual([]);
    expect(target.lastIndex).toBe(7);
  });
});
