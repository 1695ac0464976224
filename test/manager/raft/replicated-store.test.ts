// The store over Raft: a transaction on the leader's MemoryStore is applied by every manager's store, at the same
// index and with the same versions; a follower's store refuses writes with the leader's name.
import { describe, expect, it } from 'vitest';
import { FakeClock, seededRand, type Service } from '@shoal/api';
import { MemoryStorage } from '../../../packages/manager/src/raft/core/index.js';
import { RaftDriver } from '../../../packages/manager/src/raft/driver.js';
import { NotLeaderError } from '../../../packages/manager/src/raft/errors.js';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { MemoryNetwork } from './memory-transport.js';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function service(id: string, name: string): Service {
  return { id, meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec: { annotations: { name, labels: {} }, mode: 'replicated', replicas: 1 } } as unknown as Service;
}

describe('MemoryStore over RaftDriver', () => {
  it('applies a transaction on every manager with the same version', async () => {
    const clock = new FakeClock(1000);
    const net = new MemoryNetwork();
    const ids = ['m1', 'm2', 'm3'];
    const members = new Map(ids.map((id) => [id, `addr-${id}`]));
    const managers = await Promise.all(ids.map(async (id, i) => {
      const driver = await RaftDriver.bootstrap({
        id, addr: `addr-${id}`, storage: new MemoryStorage(), transport: net.transport(id), clock, rand: seededRand(i + 1),
        members, snapshot: () => new Uint8Array(0), restore: () => {},
      });
      const store = new MemoryStore(driver, clock);
      await driver.start();
      return { driver, store };
    }));
    for (let i = 0; i < 30; i++) {
      clock.advance(100);
      await settle();
    }
    const leader = managers.find((m) => m.driver.isLeader)!;
    const follower = managers.find((m) => !m.driver.isLeader)!;

    const now = clock.now();
    await leader.store.update((tx) => tx.create('services', service('s1', 'web')));
    const version = leader.store.get('services', 's1')?.meta.version;
    expect(version).toBe(leader.store.lastIndex);
    clock.advance(100);
    await settle();
    for (const m of managers) {
      expect(m.store.get('services', 's1')?.meta).toEqual({ version, createdAt: now, updatedAt: now });
      expect(m.store.serviceByName('web')?.id).toBe('s1');
    }

    await expect(follower.store.update((tx) => tx.create('services', service('s2', 'api')))).rejects.toBeInstanceOf(NotLeaderError);
    expect(follower.store.get('services', 's2')).toBeUndefined();
    for (const m of managers) await m.driver.stop();
  });
});
