import { CompactedError, EntryUnavailableError, LogInvariantError, SnapshotOutOfDateError } from './errors.js';
import { EMPTY_HARD_STATE, type ConfState, type Entry, type HardState, type Snapshot } from './messages.js';
import type { InitialState, WritableStorage } from './storage.js';

const EMPTY_DATA = new Uint8Array(0);

/** The reference storage: the whole log in memory. Also the "disk" of a simulated node. */
export class MemoryStorage implements WritableStorage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot;
  /** entries[0] stands for the snapshot's last entry (its index and term), so offsets need no special cases. */
  private ents: Entry[];

  /** A storage that starts as a cluster member: a snapshot at index `index` naming the initial voters. */
  constructor(initial: { confState?: ConfState; index?: number; term?: number; data?: Uint8Array } = {}) {
    const index = initial.index ?? 0;
    const term = initial.term ?? 0;
    this.snap = { metadata: { index, term, confState: initial.confState ?? { voters: [] } }, data: initial.data ?? EMPTY_DATA };
    this.ents = [{ index, term, type: 'normal', data: EMPTY_DATA }];
  }

  initialState(): InitialState {
    return { hardState: this.hardState, confState: this.snap.metadata.confState };
  }

  setHardState(hardState: HardState): void {
    this.hardState = hardState;
  }

  private get offset(): number {
    return this.dummy.index;
  }

  private get dummy(): Entry {
    const first = this.ents[0];
    if (!first) throw new LogInvariantError('memory storage lost its snapshot marker');
    return first;
  }

  entries(lo: number, hi: number): Entry[] {
    if (lo <= this.offset) throw new CompactedError(lo, this.firstIndex());
    if (hi > this.lastIndex() + 1) throw new EntryUnavailableError(hi - 1, this.lastIndex());
    return this.ents.slice(lo - this.offset, hi - this.offset);
  }

  term(i: number): number {
    if (i < this.offset) throw new CompactedError(i, this.firstIndex());
    const entry = this.ents[i - this.offset];
    if (!entry) throw new EntryUnavailableError(i, this.lastIndex());
    return entry.term;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  applySnapshot(snapshot: Snapshot): void {
    const { index, term } = snapshot.metadata;
    if (index <= this.snap.metadata.index) throw new SnapshotOutOfDateError(index, this.snap.metadata.index);
    this.snap = snapshot;
    this.ents = [{ index, term, type: 'normal', data: EMPTY_DATA }];
  }

  compact(snapshot: Snapshot): void {
    const { index, term } = snapshot.metadata;
    if (index <= this.snap.metadata.index) throw new SnapshotOutOfDateError(index, this.snap.metadata.index);
    if (index > this.lastIndex()) throw new EntryUnavailableError(index, this.lastIndex());
    if (this.term(index) !== term) throw new LogInvariantError(`snapshot term ${term} at index ${index} does not match the log`);
    this.ents = [{ index, term, type: 'normal', data: EMPTY_DATA }, ...this.ents.slice(index - this.offset + 1)];
    this.snap = snapshot;
  }

  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (!first) return;
    const last = first.index + entries.length - 1;
    // Entries already covered by the snapshot are committed and equal; skip them.
    if (last <= this.offset) return;
    const fresh = first.index <= this.offset ? entries.slice(this.offset + 1 - first.index) : entries;
    const start = fresh[0]?.index ?? this.offset + 1;
    if (start > this.lastIndex() + 1) throw new LogInvariantError(`append at ${start} leaves a gap after ${this.lastIndex()}`);
    // In place: copying the whole log on every append made each write O(log length) (up to snapshotEvery entries).
    this.ents.length = start - this.offset;
    for (const e of fresh) this.ents.push(e);
  }
}
