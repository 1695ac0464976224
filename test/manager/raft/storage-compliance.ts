import { describe, expect, it } from 'vitest';
import {
  CompactedError,
  EntryUnavailableError,
  SnapshotOutOfDateError,
  type Entry,
  type Snapshot,
  type Storage,
  type WritableStorage,
} from '../../../packages/manager/src/raft/core/index.js';

export interface StorageUnderTest {
  /** A fresh, empty storage. */
  create(): WritableStorage | Promise<WritableStorage>;
  /** For a durable storage: the same storage closed and opened again. Omit for an in-memory one. */
  reopen?(storage: WritableStorage): Storage | Promise<Storage>;
}

const entry = (index: number, term: number, data = `e${index}`): Entry => ({ index, term, type: 'normal', data: new TextEncoder().encode(data) });
const entries = (from: number, terms: readonly number[]): Entry[] => terms.map((t, i) => entry(from + i, t));
const snapshot = (index: number, term: number, voters: readonly string[] = ['a', 'b', 'c']): Snapshot => ({
  metadata: { index, term, confState: { voters } },
  data: new TextEncoder().encode(`state@${index}`),
});
const terms = (s: Storage, lo: number, hi: number) => s.entries(lo, hi).map((e) => [e.index, e.term]);

/** The contract every Raft storage (in-memory, LevelDB) must meet; writes may be async, reads are not. */
export function storageCompliance(name: string, impl: StorageUnderTest): void {
  describe(`raft storage compliance: ${name}`, () => {
    it('starts empty: first index 1, last index 0, term 0 at index 0, an empty hard state', async () => {
      const s = await impl.create();
      expect(s.firstIndex()).toBe(1);
      expect(s.lastIndex()).toBe(0);
      expect(s.term(0)).toBe(0);
      expect(s.initialState()).toEqual({ hardState: { term: 0, vote: '', commit: 0 }, confState: { voters: [] } });
      expect(s.entries(1, 1)).toEqual([]);
    });

    it('appends entries and reads them back by range and by term', async () => {
      const s = await impl.create();
      await s.append(entries(1, [1, 1, 2, 3]));
      expect(s.lastIndex()).toBe(4);
      expect(terms(s, 1, 5)).toEqual([[1, 1], [2, 1], [3, 2], [4, 3]]);
      expect(terms(s, 2, 4)).toEqual([[2, 1], [3, 2]]);
      expect(s.term(3)).toBe(2);
      expect(new TextDecoder().decode(s.entries(4, 5)[0]?.data)).toBe('e4');
    });

    it('replaces a conflicting suffix on append', async () => {
      const s = await impl.create();
      await s.append(entries(1, [1, 1, 1, 1]));
      await s.append(entries(3, [2]));
      expect(s.lastIndex()).toBe(3);
      expect(terms(s, 1, 4)).toEqual([[1, 1], [2, 1], [3, 2]]);
    });

    it('refuses an append that would leave a gap', async () => {
      const s = await impl.create();
      await s.append(entries(1, [1]));
      await expect(Promise.resolve().then(() => s.append(entries(3, [1])))).rejects.toThrow();
    });

    it('answers EntryUnavailableError past the last index', async () => {
      const s = await impl.create();
      await s.append(entries(1, [1, 1]));
      expect(() => s.entries(1, 4)).toThrow(EntryUnavailableError);
      expect(() => s.term(3)).toThrow(EntryUnavailableError);
    });

    it('keeps the hard state', async () => {
      const s = await impl.create();
      await s.setHardState({ term: 4, vote: 'b', commit: 0 });
      expect(s.initialState().hardState).toEqual({ term: 4, vote: 'b', commit: 0 });
    });

    it('compacts up to a snapshot: earlier entries answer CompactedError, the snapshot keeps their last term', async () => {
      const s = await impl.create();
      await s.append(entries(1, [1, 1, 2, 2, 3]));
      const snap = snapshot(3, 2);
      await s.compact(snap);
      expect(s.firstIndex()).toBe(4);
      expect(s.lastIndex()).toBe(5);
      expect(s.term(3)).toBe(2);
      expect(() => s.term(2)).toThrow(CompactedError);
      expect(() => s.entries(3, 5)).toThrow(CompactedError);
      expect(terms(s, 4, 6)).toEqual([[4, 2], [5, 3]]);
      expect(s.snapshot().metadata).toEqual(snap.metadata);
      expect(new TextDecoder().decode(s.snapshot().data)).toBe('state@3');
      expect(s.initialState().confState).toEqual({ voters: ['a', 'b', 'c'] });
    });

    it('refuses a compaction not newer than the current snapshot', async () => {
      const s = await impl.create();
      await s.append(entries(1, [1, 1, 1]));
      await s.compact(snapshot(2, 1));
      await expect(Promise.resolve().then(() => s.compact(snapshot(2, 1)))).rejects.toThrow(SnapshotOutOfDateError);
    });

    it('replaces the whole log with a snapshot from the leader, then appends after it', async () => {
      const s = await impl.create();
      await s.append(entries(1, [1, 1, 1]));
      await s.applySnapshot(snapshot(10, 4, ['a', 'b']));
      expect(s.firstIndex()).toBe(11);
      expect(s.lastIndex()).toBe(10);
      expect(s.term(10)).toBe(4);
      expect(() => s.term(3)).toThrow(CompactedError);
      expect(s.initialState().confState).toEqual({ voters: ['a', 'b'] });
      await s.append(entries(11, [4, 5]));
      expect(terms(s, 11, 13)).toEqual([[11, 4], [12, 5]]);
    });

    it('refuses a snapshot from the leader not newer than the current one', async () => {
      const s = await impl.create();
      await s.applySnapshot(snapshot(5, 2));
      await expect(Promise.resolve().then(() => s.applySnapshot(snapshot(4, 2)))).rejects.toThrow(SnapshotOutOfDateError);
    });

    it('ignores the part of an append that a snapshot already covers', async () => {
      const s = await impl.create();
      await s.applySnapshot(snapshot(5, 2));
      await s.append(entries(4, [2, 2, 3]));
      expect(s.lastIndex()).toBe(6);
      expect(terms(s, 6, 7)).toEqual([[6, 3]]);
    });

    const reopen = impl.reopen;
    if (reopen) {
      it('keeps entries, hard state and snapshot across a reopen', async () => {
        const s = await impl.create();
        await s.append(entries(1, [1, 1, 2, 2]));
        await s.compact(snapshot(2, 1));
        await s.setHardState({ term: 2, vote: 'a', commit: 3 });
        const again = await reopen(s);
        expect(again.initialState()).toEqual({ hardState: { term: 2, vote: 'a', commit: 3 }, confState: { voters: ['a', 'b', 'c'] } });
        expect(again.firstIndex()).toBe(3);
        expect(terms(again, 3, 5)).toEqual([[3, 2], [4, 2]]);
      });
    }
  });
}
