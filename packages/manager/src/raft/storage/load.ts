import type { Level } from 'level';
import { EMPTY_HARD_STATE, MemoryStorage, type Entry, type HardState, type Snapshot } from '../core/index.js';
import { decodeEntry, decodeHardState, decodeSnapshot, RecordError } from './codec.js';
import { CorruptLogError } from './errors.js';
import { entryIndexOf, HARD_STATE_KEY, SNAPSHOT_KEY } from './keys.js';

/**
 * Reads the whole stored log into memory (the core reads synchronously) and checks it on the way: every record's
 * checksum, entries contiguous from just after the snapshot with terms that never decrease, and a commit index
 * within the log. Throws CorruptLogError naming `dir` and the record; reads only, so a refused log stays as it was.
 */
export async function loadLog(db: Level<string, Uint8Array>, dir: string): Promise<MemoryStorage> {
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
  for await (const [key, record] of db.iterator()) {
    if (key === SNAPSHOT_KEY || key === HARD_STATE_KEY) continue;
    const index = entryIndexOf(key);
    if (index === undefined) throw corrupt(`unexpected key ${key}`);
    if (index <= snapIndex) throw corrupt(`entry ${index} is at or below the snapshot's index ${snapIndex}`);
    const expected = snapIndex + entries.length + 1;
    if (index !== expected) throw corrupt(`entry ${expected} is missing (the next stored entry is ${index})`);
    const e = decode(`entry ${index}`, record, decodeEntry);
    if (e.index !== index) throw corrupt(`key ${key} holds entry ${e.index}`);
    if (e.term < prevTerm) throw corrupt(`entry ${index} has term ${e.term}, lower than the term ${prevTerm} before it`);
    prevTerm = e.term;
    entries.push(e);
  }

  const last = snapIndex + entries.length;
  if (hardState.commit > last) throw corrupt(`entries end at ${last} but the hard state says ${hardState.commit} is committed`);

  const log = new MemoryStorage(snap && { index: snapIndex, term: snap.metadata.term, confState: snap.metadata.confState, data: snap.data });
  log.append(entries);
  log.setHardState(hardState);
  return log;
}
