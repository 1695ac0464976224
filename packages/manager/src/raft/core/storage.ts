import type { ConfState, Entry, HardState, Snapshot } from './messages.js';

export interface InitialState {
  readonly hardState: HardState;
  readonly confState: ConfState;
}

/**
 * What the core reads of the persisted log. Reads are synchronous: an implementation over a disk keeps what the core
 * may ask for in memory. The core never writes; the driver writes each Ready through `WritableStorage`.
 *
 * The log holds the entries (snapshot index, last index]; `term(snapshotIndex)` is the snapshot's term.
 */
export interface Storage {
  initialState(): InitialState;
  /** Entries [lo, hi). Throws CompactedError below the first index, EntryUnavailableError past the last. */
  entries(lo: number, hi: number): Entry[];
  /** Term of the entry at i, for i in [firstIndex - 1, lastIndex]. Throws CompactedError / EntryUnavailableError. */
  term(i: number): number;
  firstIndex(): number;
  lastIndex(): number;
  snapshot(): Snapshot;
}

/** The writes a driver makes with one Ready. Async so that a disk-backed storage can fit the same compliance suite. */
export interface WritableStorage extends Storage {
  /** Appends entries, replacing any stored entries from the first new index on. */
  append(entries: readonly Entry[]): void | Promise<void>;
  setHardState(hardState: HardState): void | Promise<void>;
  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(snapshot: Snapshot): void | Promise<void>;
  /** Keeps a snapshot this node made of its own state and discards the entries it covers. */
  compact(snapshot: Snapshot): void | Promise<void>;
}
