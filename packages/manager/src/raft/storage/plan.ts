import {
  EntryUnavailableError,
  LogInvariantError,
  SnapshotOutOfDateError,
  type Entry,
  type HardState,
  type Snapshot,
  type Storage,
} from '../core/index.js';
import { encodeHardState, encodeRun, encodeSnapshot } from './codec.js';
import { entryKey, HARD_STATE_KEY, SNAPSHOT_KEY } from './keys.js';

/** What one Ready asks to persist; a Ready itself fits. */
export interface PersistBatch {
  readonly compaction?: Snapshot;
  readonly snapshot?: Snapshot;
  readonly entries: readonly Entry[];
  readonly hardState?: HardState;
}

export type LogWrite = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/** A stored run of entries (one record, under the key of `first`). Runs are kept in index order. */
export interface Run {
  readonly first: number;
  readonly last: number;
}

/**
 * The LevelDB writes that take `log` (the stored log as it is now, made of `runs`) through `batch`, in the core's
 * order: compaction, snapshot, entries, hard state; and the runs after them. Checks every step first and throws the
 * core's errors, so that a refused batch writes nothing and nothing is written that `open` would then call corrupt.
 */
export function planBatch(log: Storage, runs: readonly Run[], batch: PersistBatch): { writes: LogWrite[]; runs: Run[] } {
  const writes: LogWrite[] = [];
  let kept = [...runs];
  let snapIndex = log.snapshot().metadata.index;
  let last = log.lastIndex();
  const drop = (run: Run) => writes.push({ type: 'del', key: entryKey(run.first) });

  if (batch.compaction) {
    const { index, term } = batch.compaction.metadata;
    if (index <= snapIndex) throw new SnapshotOutOfDateError(index, snapIndex);
    if (index > last) throw new EntryUnavailableError(index, last);
    if (log.term(index) !== term) throw new LogInvariantError(`snapshot term ${term} at index ${index} does not match the log`);
    // A run that reaches past the snapshot stays whole: the loader skips what the snapshot covers.
    kept = kept.filter((run) => (run.last <= index ? (drop(run), false) : true));
    writes.push({ type: 'put', key: SNAPSHOT_KEY, value: encodeSnapshot(batch.compaction) });
    snapIndex = index;
  }

  if (batch.snapshot) {
    const { index } = batch.snapshot.metadata;
    if (index <= snapIndex) throw new SnapshotOutOfDateError(index, snapIndex);
    kept.forEach(drop);
    kept = [];
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
    // The stored entries from `start` on are replaced: runs past it go, one across it keeps what lies before it.
    const before: Run[] = [];
    for (const run of kept) {
      if (run.last < start) {
        before.push(run);
        continue;
      }
      drop(run);
      const from = Math.max(run.first, snapIndex + 1);
      if (run.first < start && from < start) {
        writes.push({ type: 'put', key: entryKey(from), value: encodeRun(log.entries(from, start)) });
        before.push({ first: from, last: start - 1 });
      }
    }
    writes.push({ type: 'put', key: entryKey(start), value: encodeRun(fresh) });
    kept = [...before, { first: start, last: start + fresh.length - 1 }];
    last = start + fresh.length - 1;
  }

  // Also catches a truncation below the stored commit: committed entries are never given up.
  const { commit } = batch.hardState ?? log.initialState().hardState;
  if (commit > last) throw new LogInvariantError(`hard state commit ${commit} is past the last index ${last}`);
  if (batch.hardState) writes.push({ type: 'put', key: HARD_STATE_KEY, value: encodeHardState(batch.hardState) });
  return { writes, runs: kept };
}
