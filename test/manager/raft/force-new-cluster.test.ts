// `--force-new-cluster`: a manager of a cluster that lost quorum rewrites its log so that it restarts alone, as the
// only voter, with its snapshot's state and every entry after it, committed or not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError, FakeClock, seededRand, type Service } from '@shoal/api';
import { encodeConfChange, type Entry } from '../../../packages/manager/src/raft/core/index.js';
import { RaftDriver } from '../../../packages/manager/src/raft/driver.js';
import { encodeActions, encodeSnapshotData } from '../../../packages/manager/src/raft/entry-codec.js';
import { forceNewCluster } from '../../../packages/manager/src/raft/force-new-cluster.js';
import { LevelStorage } from '../../../packages/manager/src/raft/storage/index.js';
import { MemoryStore, type StoreAction, type StoreObject, type TableName } from '../../../packages/manager/src/store/index.js';
import { MemoryNetwork } from './memory-transport.js';

const encoder = new TextEncoder();
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const self = { id: 'm1', addr: 'addr-m1' };

let dir = '';
let storage: LevelStorage | undefined;
let driver: RaftDriver | undefined;

afterEach(async () => {
  try {
    await driver?.stop();
    await storage?.close();
  } finally {
    driver = undefined;
    storage = undefined;
    rmSync(dir, { recursive: true, force: true });
  }
});

function service(id: string, replicas: number): Service {
  return { id, meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec: { annotations: { name: id, labels: {} }, mode: 'replicated', replicas } } as unknown as Service;
}

const put = (s: Service): StoreAction => ({ kind: 'put', table: 'services', object: s });
const normal = (index: number, term: number, actions: StoreAction[]): Entry => ({ index, term, type: 'normal', data: encodeActions(actions) });

/** A log in the driver's format: a snapshot at index 1 naming `voters` and holding `objects`. */
async function openLog(voters: string[], objects: Array<[TableName, StoreObject]>): Promise<LevelStorage> {
  dir = mkdtempSync(join(tmpdir(), 'shoal-force-new-cluster-'));
  storage = await LevelStorage.open(dir);
  const peers = new Map(voters.map((id) => [id, `addr-${id}`]));
  const state = encoder.encode(objects.map((o) => `${JSON.stringify(o)}\n`).join(''));
  await storage.applySnapshot({ metadata: { index: 1, term: 1, confState: { voters } }, data: encodeSnapshotData({ peers, state }) });
  return storage;
}

/**
 * m1's log of a 3-manager cluster that lost m2 and m3: s1 in the snapshot; s2 and a conf entry adding m4 committed;
 * s3 and a change of s1 appended but not known to be committed.
 */
async function lostQuorumLog(): Promise<LevelStorage> {
  const s = await openLog(['m1', 'm2', 'm3'], [['services', { ...service('s1', 1), meta: { version: 1, createdAt: 0, updatedAt: 0 } }]]);
  await s.save({
    entries: [
      { index: 2, term: 2, type: 'normal', data: new Uint8Array(0) },
      normal(3, 2, [put(service('s2', 2))]),
      { index: 4, term: 2, type: 'conf', data: encodeConfChange({ type: 'add-node', nodeId: 'm4', context: 'addr-m4' }) },
      normal(5, 3, [put(service('s3', 3))]),
      normal(6, 3, [put(service('s1', 5))]),
    ],
    hardState: { term: 3, vote: 'm2', commit: 4 },
  });
  return s;
}

/** The normal restart path: a RaftDriver on the stored log, its store restored as manager.ts does. */
async function restart(s: LevelStorage): Promise<{ driver: RaftDriver; store: MemoryStore }> {
  const clock = new FakeClock(1000);
  let store: MemoryStore | undefined;
  driver = new RaftDriver({
    ...self, storage: s, transport: new MemoryNetwork().transport(self.id), clock, rand: seededRand(1),
    snapshot: () => store!.encodeSnapshot(),
    restore: (state, index) => store!.restoreSnapshot(state, index),
  });
  store = new MemoryStore(driver, clock);
  await driver.start();
  await settle();
  return { driver, store };
}

const replicasOf = (store: MemoryStore) =>
  Object.fromEntries(store.all('services').map((s) => [s.id, [(s.spec as unknown as { replicas: number }).replicas, s.meta.version]]));

describe('forceNewCluster', () => {
  it('restarts a lone leader with the snapshot and every entry after it, committed or not', async () => {
    const s = await lostQuorumLog();
    expect(await forceNewCluster(s, self)).toEqual({ index: 7, removed: ['m2', 'm3', 'm4'] });
    expect(s.initialState()).toEqual({ hardState: { term: 3, vote: 'm2', commit: 7 }, confState: { voters: ['m1'] } });

    // From disk, as the manager starts after the rewrite.
    await s.close();
    storage = await LevelStorage.open(dir);
    const { driver: d, store } = await restart(storage);
    expect(d.isLeader).toBe(true);
    expect(d.members()).toEqual([{ id: 'm1', addr: 'addr-m1', reachable: true }]);
    // [replicas, version]: the uncommitted entries 5 and 6 are kept.
    expect(replicasOf(store)).toEqual({ s1: [5, 6], s2: [2, 3], s3: [3, 5] });

    await store.update((tx) => tx.create('services', service('s4', 1)));
    expect(store.get('services', 's4')?.meta.version).toBeGreaterThan(7);
  });

  it('can run twice: the second run removes nobody and keeps the state', async () => {
    const s = await lostQuorumLog();
    await forceNewCluster(s, self);
    expect(await forceNewCluster(s, self)).toEqual({ index: 8, removed: [] });
    const { driver: d, store } = await restart(s);
    expect(d.isLeader).toBe(true);
    expect(replicasOf(store)).toEqual({ s1: [5, 6], s2: [2, 3], s3: [3, 5] });
  });

  it('refuses an empty log, naming the data dir', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-force-new-cluster-'));
    storage = await LevelStorage.open(dir);
    const refused = forceNewCluster(storage, self);
    await expect(refused).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(refused).rejects.toThrow(dir);
    expect(storage.lastIndex()).toBe(0);
  });

  it('refuses a log whose voters do not include this manager, and leaves it as it was', async () => {
    const s = await openLog(['m2', 'm3'], []);
    const refused = forceNewCluster(s, self);
    await expect(refused).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(refused).rejects.toThrow(`data dir ${dir}: m1 is not a voter`);
    expect(s.snapshot().metadata).toEqual({ index: 1, term: 1, confState: { voters: ['m2', 'm3'] } });
  });

  it('counts a conf entry that removed this manager', async () => {
    const s = await openLog(['m1', 'm2', 'm3'], []);
    await s.append([{ index: 2, term: 1, type: 'conf', data: encodeConfChange({ type: 'remove-node', nodeId: 'm1' }) }]);
    await expect(forceNewCluster(s, self)).rejects.toThrow('m1 is not a voter');
    expect(s.lastIndex()).toBe(2);
  });
});
