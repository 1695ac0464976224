import type { Level } from 'level';
import { EMPTY_HARD_STATE, MemoryStorage, type Entry, type HardState, type Snapshot } from '../core/index.js';
import { decodeHardState, decodeRun, decodeSnapshot, RecordError } from './codec.js';
import { CorruptLogError } from './errors.js';
import { entryIndexOf, HARD_STATE_KEY, SNAPSHOT_KEY, VERSION_KEY } from './keys.js';
import type { Run } from './plan.js';
import { unpackedView } from './snapshot-data.js';

/**
 * Reads the whole stored log into memory (the core reads synchronously) and checks it on the way: every record's
 * checksum, entries contiguous from just after the snapshot with terms that never decrease, and a commit index
 * within the log. Throws CorruptLogError naming `dir` and the record; reads only, so a refused log stays as it was.
 * Also returns the stored runs, which the writes that follow must know.
 */
export async function loadLog(db: Level<string, Uint8Array>, dir: string): Promise<{ log: MemoryStorage; runs: Run[] }> {
  const corrupt = (problem: string) => new CorruptLogError(dir, problem);
  const decode = <T>(what: string, record: Uint8Array, fn: (record: Uint8Array) => T): T => {
    try {
      return fn(record);
    } catch (err) {
      if (err instanceof RecordError) throw corrupt(`${what} ${err.reason}`);
      throw err;
    }
  };

  const snapRecord = await db.get(SNAPSHOT_KEY);
  const snap: Snapshot | undefined = snapRecord && decode(`the snapshot (key ${SNAPSHOT_KEY})`, snapRecord, decodeSnapshot);
  const hsRecord = await db.get(HARD_STATE_KEY);
  const hardState: HardState = hsRecord ? decode(`the hard state (key ${HARD_STATE_KEY})`, hsRecord, decodeHardState) : EMPTY_HARD_STATE;

  const snapIndex = snap?.metadata.index ?? 0;
  let prevTerm = snap?.metadata.term ?? 0;
  const entries: Entry[] = [];
  const runs: Run[] = [];
  for await (const [key, record] of db.iterator()) {
    if (key === SNAPSHOT_KEY || key === HARD_STATE_KEY || key === VERSION_KEY) continue;
    const index = entryIndexOf(key);
    if (index === undefined) throw corrupt(`unexpected key ${key}`);
    const run = decode(`entry ${index}`, record, decodeRun);
    run.forEach((e, i) => {
      if (e.index !== index + i) throw corrupt(`key ${key} holds entry ${e.index}`);
    });
    const last = index + run.length - 1;
    // Only the first run may start at or below the snapshot (a compaction keeps a run that reaches past it).
    if (last <= snapIndex || (index <= snapIndex && runs.length > 0)) {
      throw corrupt(`entry ${Math.min(last, snapIndex)} is at or below the snapshot's index ${snapIndex}`);
    }
    const expected = snapIndex + entries.length + 1;
    if (index > expected) throw corrupt(`entry ${expected} is missing (the next stored entry is ${index})`);
    if (index < expected && index > snapIndex) throw corrupt(`entry ${index} is stored twice`);
    for (const e of run) {
      if (e.index <= snapIndex) continue;
      if (e.term < prevTerm) throw corrupt(`entry ${e.index} has term ${e.term}, lower than the term ${prevTerm} before it`);
      prevTerm = e.term;
      entries.push(e);
    }
    runs.push({ first: index, last });
  }

  const last = snapIndex + entries.length;
  if (hardState.commit > last) throw corrupt(`entries end at ${last} but the hard state says ${hardState.commit} is committed`);

  const log = new MemoryStorage();
  if (snap) log.applySnapshot(unpackedView(snap));
  log.append(entries);
  log.setHardState(hardState);
  return { log, runs };
}
