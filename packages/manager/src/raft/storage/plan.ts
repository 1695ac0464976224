import {
  EntryUnavailableError,
  LogInvariantError,
  SnapshotOutOfDateError,
  type Entry,
  type HardState,
  type Snapshot,
  type Storage,
} from '../core/index.js';
import { encodeEntry, encodeHardState, encodeSnapshot } from './codec.js';
import { entryKey, HARD_STATE_KEY, SNAPSHOT_KEY } from './keys.js';

/** What one Ready asks to persist; a Ready itself fits. */
export interface PersistBatch {
  readonly compaction?: Snapshot;
  readonly snapshot?: Snapshot;
  readonly entries: readonly Entry[];
  readonly hardState?: HardState;
}

export type LogWrite = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/**
 * The LevelDB writes that take `log` (the stored log as it is now) through `batch`, in the core's order: compaction,
 * snapshot, entries, hard state. Checks every step first and throws the core's errors, so that a refused batch
 * writes nothing and nothing is written that `open` would then call corrupt.
 */
export function planBatch(log: Storage, batch: PersistBatch): LogWrite[] {
  const writes: LogWrite[] = [];
  let snapIndex = log.snapshot().metadata.index;
  let last = log.lastIndex();
  const drop = (from: number, to: number) => {
    for (let i = from; i <= to; i++) writes.push({ type: 'del', key: entryKey(i) });
  };

  if (batch.compaction) {
    const { index, term } = batch.compaction.metadata;
    if (index <= snapIndex) throw new SnapshotOutOfDateError(index, snapIndex);
    if (index > last) throw new EntryUnavailableError(index, last);
    if (log.term(index) !== term) throw new LogInvariantError(`snapshot term ${term} at index ${index} does not match the log`);
    drop(snapIndex + 1, index);
    writes.push({ type: 'put', key: SNAPSHOT_KEY, value: encodeSnapshot(batch.compaction) });
    snapIndex = index;
  }

  if (batch.snapshot) {
    const { index } = batch.snapshot.metadata;
    if (index <= snapIndex) throw new SnapshotOutOfDateError(index, snapIndex);
    drop(snapIndex + 1, last);
    writes.push({ type: 'put', key: SNAPSHOT_KEY, value: encodeSnapshot(batch.snapshot) });
    snapIndex = index;
    last = index;
  }

  // Entries a snapshot already covers are committed and equal: skip them.
  const fresh = batch.entries.filter((e) => e.index > snapIndex);
  const start = fresh[0]?.index;
  if (start !== undefined) {
    if (start > last + 1) throw new LogInvariantError(`append at ${start} leaves a gap after ${last}`);
    fresh.forEach((e, i) => {
      if (e.index !== start + i) throw new LogInvariantError(`append at ${start} is not contiguous at ${e.index}`);
    });
    const newLast = start + fresh.length - 1;
    // The conflicting suffix past the new entries goes; the rest is overwritten below.
    drop(newLast + 1, last);
    for (const e of fresh) writes.push({ type: 'put', key: entryKey(e.index), value: encodeEntry(e) });
    last = newLast;
  }

  // Also catches a truncation below the stored commit: committed entries are never given up.
  const { commit } = batch.hardState ?? log.initialState().hardState;
  if (commit > last) throw new LogInvariantError(`hard state commit ${commit} is past the last index ${last}`);
  if (batch.hardState) writes.push({ type: 'put', key: HARD_STATE_KEY, value: encodeHardState(batch.hardState) });
  return writes;
}
