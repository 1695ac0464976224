import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FailedPreconditionError } from '@shoal/api';
import { LogInvariantError, type Entry, type Snapshot } from '../../../packages/manager/src/raft/core/index.js';
import { encodeRun } from '../../../packages/manager/src/raft/storage/codec.js';
import { CorruptLogError, LevelStorage } from '../../../packages/manager/src/raft/storage/index.js';
import { storageCompliance } from './storage-compliance.js';

const dirs: string[] = [];
const opened: LevelStorage[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  // Close before removing: LevelDB holds a lock file in the directory.
  await Promise.allSettled(opened.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-raft-log-'));
  dirs.push(dir);
  return dir;
}

async function open(dir: string): Promise<LevelStorage> {
  const s = await LevelStorage.open(dir);
  opened.push(s);
  return s;
}

storageCompliance('LevelStorage', {
  create: () => open(freshDir()),
  reopen: async (s) => {
    if (!(s instanceof LevelStorage)) throw new Error('not a LevelStorage');
    await s.close();
    return open(s.dir);
  },
});

const entry = (index: number, term: number): Entry => ({ index, term, type: 'normal', data: new TextEncoder().encode(`e${index}`) });
const range = (from: number, to: number, term: (i: number) => number): Entry[] =>
  Array.from({ length: to - from + 1 }, (_, k) => entry(from + k, term(from + k)));
const snapshot = (index: number, term: number): Snapshot => ({
  metadata: { index, term, confState: { voters: ['a', 'b', 'c'] } },
  data: new TextEncoder().encode(`state@${index}`),
});
const pad = (i: number) => `e/${String(i).padStart(16, '0')}`;

/** The raw database, for tests that damage it or compare it byte for byte. */
async function withRaw<T>(dir: string, fn: (db: Level<string, Uint8Array>) => Promise<T>): Promise<T> {
  const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' });
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const dump = (dir: string) => withRaw(dir, async (db) => (await db.iterator().all()).map(([k, v]) => `${k}=${Buffer.from(v).toString('hex')}`));

/** A closed log: snapshot at 3 (term 1), entries 4..10 (term 2 from 6), committed up to 8; one write per entry. */
async function seededDir(): Promise<string> {
  const dir = freshDir();
  const s = await LevelStorage.open(dir);
  for (const e of range(1, 10, (i) => (i < 6 ? 1 : 2))) await s.save({ entries: [e] });
  await s.save({ entries: [], hardState: { term: 2, vote: 'a', commit: 8 } });
  await s.save({ compaction: snapshot(3, 1), entries: [] });
  await s.close();
  return dir;
}

describe('LevelStorage on disk', () => {
  it('writes a whole Ready as one synced batch that a reopen sees in full', async () => {
    const dir = freshDir();
    const s = await open(dir);
    await s.save({ entries: range(1, 5, () => 1), hardState: { term: 1, vote: 'a', commit: 2 } });
    const batch = vi.spyOn(Level.prototype, 'batch');
    await s.save({
      compaction: snapshot(2, 1),
      entries: range(4, 7, () => 2),
      hardState: { term: 2, vote: 'b', commit: 6 },
    });
    expect(batch).toHaveBeenCalledTimes(1);
    expect(batch).toHaveBeenCalledWith(expect.any(Array), { sync: true });
    await s.close();
    const again = await open(dir);
    expect(again.initialState()).toEqual({ hardState: { term: 2, vote: 'b', commit: 6 }, confState: { voters: ['a', 'b', 'c'] } });
    expect(again.firstIndex()).toBe(3);
    expect(again.lastIndex()).toBe(7);
    expect(again.entries(3, 8).map((e) => [e.index, e.term])).toEqual([[3, 1], [4, 2], [5, 2], [6, 2], [7, 2]]);
    expect(new TextDecoder().decode(again.entries(7, 8)[0]?.data)).toBe('e7');
    expect(new TextDecoder().decode(again.snapshot().data)).toBe('state@2');
  });

  it('drops the replaced suffix and the compacted entries from disk, not only from memory', async () => {
    const dir = await seededDir();
    const s = await open(dir);
    await s.save({ entries: range(9, 9, () => 3), hardState: { term: 3, vote: 'a', commit: 8 } });
    await s.close();
    const keys = (await dump(dir)).map((kv) => kv.split('=')[0]);
    expect(keys).toEqual([...[4, 5, 6, 7, 8, 9].map(pad), 'h', 's', 'v']);
  });

  it('syncs every write but one that only moves the commit index', async () => {
    const s = await open(freshDir());
    const batch = vi.spyOn(Level.prototype, 'batch');
    await s.save({ entries: range(1, 3, () => 1), hardState: { term: 1, vote: 'a', commit: 0 } });
    await s.save({ entries: [], hardState: { term: 1, vote: 'a', commit: 2 } });
    await s.save({ entries: [], hardState: { term: 2, vote: '', commit: 2 } });
    await s.save({ entries: [], hardState: { term: 2, vote: 'b', commit: 2 } });
    expect(batch.mock.calls.map((call) => call[1])).toEqual([{ sync: true }, { sync: false }, { sync: true }, { sync: true }]);
    expect(s.initialState().hardState).toEqual({ term: 2, vote: 'b', commit: 2 });
  });

  it('keeps a snapshot deflated on disk and reads its data back whole', async () => {
    const dir = freshDir();
    const s = await LevelStorage.open(dir);
    const state = new TextEncoder().encode('{"kind":"task","image":"web:1"}\n'.repeat(5000));
    await s.save({ entries: range(1, 4, () => 1) });
    await s.save({ compaction: { metadata: { index: 3, term: 1, confState: { voters: ['a'] } }, data: state }, entries: [] });
    const data = s.snapshot().data;
    expect(data).toEqual(state);
    // Inflated once while held: a send reads `data` more than once.
    expect(s.snapshot().data).toBe(data);
    await s.close();
    const stored = await withRaw(dir, (db) => db.get('s'));
    expect(stored!.length).toBeLessThan(state.length / 10);
    expect((await open(dir)).snapshot().data).toEqual(state);
  });

  it('stores the entries of one write as one record; a truncation or a compaction inside it keeps the rest', async () => {
    const dir = freshDir();
    const keys = async () => (await dump(dir)).map((kv) => kv.split('=')[0]);
    const s = await LevelStorage.open(dir);
    await s.save({ entries: range(1, 10, () => 1), hardState: { term: 1, vote: 'a', commit: 2 } });
    await s.save({ entries: range(6, 7, () => 2) });
    await s.save({ compaction: snapshot(3, 1), entries: [] });
    await s.close();
    expect(await keys()).toEqual([pad(1), pad(6), 'h', 's', 'v']);
    const again = await LevelStorage.open(dir);
    expect([again.firstIndex(), again.lastIndex()]).toEqual([4, 7]);
    expect(again.entries(4, 8).map((e) => [e.index, e.term])).toEqual([[4, 1], [5, 1], [6, 2], [7, 2]]);
    // A truncation inside the run that reaches into the snapshot keeps its entries between the two.
    await again.save({ entries: range(5, 5, () => 3), hardState: { term: 3, vote: 'a', commit: 4 } });
    await again.close();
    expect(await keys()).toEqual([pad(4), pad(5), 'h', 's', 'v']);
    const third = await open(dir);
    expect(third.entries(4, 6).map((e) => [e.index, e.term])).toEqual([[4, 1], [5, 3]]);
  });

  it('refuses a batch that breaks the log and writes none of it', async () => {
    const dir = await seededDir();
    const before = await dump(dir);
    const s = await open(dir);
    await expect(s.save({ entries: [entry(12, 2)], hardState: { term: 5, vote: 'b', commit: 8 } })).rejects.toThrow(LogInvariantError);
    await expect(s.save({ entries: range(5, 6, () => 3) })).rejects.toThrow('hard state commit 8 is past the last index 6');
    expect(s.lastIndex()).toBe(10);
    expect(s.initialState().hardState.term).toBe(2);
    await s.close();
    expect(await dump(dir)).toEqual(before);
  });

  it('runs overlapping saves one after another', async () => {
    const dir = freshDir();
    const s = await open(dir);
    await Promise.all([s.append(range(1, 2, () => 1)), s.append(range(3, 4, () => 1)), s.setHardState({ term: 1, vote: '', commit: 4 })]);
    await s.close();
    expect((await open(dir)).lastIndex()).toBe(4);
  });

  it('after a failed write, refuses every later write: what reached the disk is unknown', async () => {
    const dir = freshDir();
    const s = await open(dir);
    await s.append(range(1, 2, () => 1));
    vi.spyOn(Level.prototype, 'batch').mockRejectedValueOnce(new Error('EIO: i/o error, fsync'));
    const message = `cannot write the Raft log in ${dir}: EIO: i/o error, fsync`;
    await expect(s.append(range(3, 3, () => 1))).rejects.toThrow(message);
    await expect(s.append(range(3, 3, () => 1))).rejects.toThrow(message);
    expect(s.lastIndex()).toBe(2);
  });

  it('refuses a data dir another process holds', async () => {
    const dir = freshDir();
    await open(dir);
    const second = LevelStorage.open(dir);
    await expect(second).rejects.toThrow(FailedPreconditionError);
    await expect(second).rejects.toThrow(`data dir ${dir} is in use by another shoal process`);
  });
});

describe('LevelStorage refuses a log of another format by name', () => {
  it('refuses a log without a version (written by an earlier shoal) and one of an unknown version, changing neither', async () => {
    const dir = await seededDir();
    await withRaw(dir, (db) => db.del('v'));
    const before = await dump(dir);
    await expect(LevelStorage.open(dir)).rejects.toThrow(
      `the Raft log in ${dir} was written by an earlier shoal (format 1); this shoal reads format 2 and cannot migrate it: start the manager with an empty data dir`);
    expect(await dump(dir)).toEqual(before);
    await withRaw(dir, (db) => db.put('v', new TextEncoder().encode('9')));
    await expect(LevelStorage.open(dir)).rejects.toThrow(`the Raft log in ${dir} has format 9; this shoal reads format 2`);
  });
});

type Damage = (db: Level<string, Uint8Array>) => Promise<void>;

const flipByte = (key: string, at: number): Damage => async (db) => {
  const value = await db.get(key);
  if (!value) throw new Error(`no ${key} to damage`);
  const bytes = Uint8Array.from(value);
  if (at >= bytes.length) throw new Error(`${key} has no byte ${at}`);
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  await db.put(key, bytes);
};

const corruptions: ReadonlyArray<{ name: string; damage: Damage; problem: string }> = [
  // Byte 30 is the last byte of entry 7's data (checksum 4, count 4, header 21, data 'e7').
  { name: 'a flipped byte in an entry', damage: flipByte(pad(7), 30), problem: 'entry 7 fails its checksum' },
  { name: 'a flipped byte in an entry checksum', damage: flipByte(pad(4), 0), problem: 'entry 4 fails its checksum' },
  { name: 'a torn entry', damage: (db) => db.put(pad(9), new Uint8Array([1, 2, 3])), problem: 'entry 9 is truncated' },
  { name: 'an entry missing in the middle', damage: (db) => db.del(pad(6)), problem: 'entry 6 is missing (the next stored entry is 7)' },
  {
    name: 'the tail lost below the committed index',
    damage: (db) => db.batch([9, 10].map((i) => ({ type: 'del' as const, key: pad(i) }))).then(() => db.del(pad(8))),
    problem: 'entries end at 7 but the hard state says 8 is committed',
  },
  { name: 'a garbled hard state', damage: flipByte('h', 6), problem: 'the hard state (key h) fails its checksum' },
  { name: 'an empty hard state record', damage: (db) => db.put('h', new Uint8Array(0)), problem: 'the hard state (key h) is truncated' },
  { name: 'a garbled snapshot', damage: flipByte('s', 9), problem: 'the snapshot (key s) fails its checksum' },
  {
    name: 'an entry left below the snapshot',
    damage: (db) => db.put(pad(2), encodeRun([entry(2, 1)])),
    problem: "entry 2 is at or below the snapshot's index 3",
  },
  { name: 'an entry under the wrong key', damage: (db) => db.put(pad(11), encodeRun([entry(9, 2)])), problem: `key ${pad(11)} holds entry 9` },
  {
    name: 'a term that goes back',
    damage: (db) => db.put(pad(7), encodeRun([entry(7, 1)])),
    problem: 'entry 7 has term 1, lower than the term 2 before it',
  },
  {
    name: 'a run overlapping the next one',
    damage: (db) => db.put(pad(6), encodeRun(range(6, 8, () => 2))),
    problem: 'entry 7 is stored twice',
  },
  { name: 'an entry key past the safe integers', damage: (db) => db.put('e/9999999999999999', new Uint8Array(1)), problem: 'unexpected key e/9999999999999999' },
  { name: 'a key the log does not use', damage: (db) => db.put('obj/services/x', new Uint8Array(1)), problem: 'unexpected key obj/services/x' },
];

describe('LevelStorage refuses a damaged log', () => {
  it.each(corruptions)('$name', async ({ damage, problem }) => {
    const dir = await seededDir();
    await withRaw(dir, damage);
    const before = await dump(dir);
    const opening = LevelStorage.open(dir);
    await expect(opening).rejects.toThrow(CorruptLogError);
    await expect(opening).rejects.toThrow(FailedPreconditionError);
    await expect(opening).rejects.toThrow(`corrupt Raft log in ${dir}: ${problem}`);
    // The failed open changed nothing and let go of the directory.
    expect(await dump(dir)).toEqual(before);
  });

  it('opens the undamaged seed', async () => {
    const s = await open(await seededDir());
    expect([s.firstIndex(), s.lastIndex(), s.initialState().hardState.commit]).toEqual([4, 10, 8]);
  });
});
