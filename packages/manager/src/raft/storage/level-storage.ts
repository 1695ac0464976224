import { FailedPreconditionError } from '@shoal/api';
import { Level } from 'level';
import type { Entry, HardState, InitialState, MemoryStorage, Snapshot, WritableStorage } from '../core/index.js';
import { loadLog } from './load.js';
import { FORMAT_VERSION, VERSION_KEY } from './keys.js';
import { planBatch, type PersistBatch, type Run } from './plan.js';
import { packSnapshot, unpackedView } from './snapshot-data.js';

/**
 * The Raft log of a manager, kept in LevelDB under `dir`. The core reads synchronously, so the whole log after the
 * last snapshot is also held in memory (the log is compacted every N entries); every write goes to disk first and
 * reaches memory only once synced.
 *
 * The driver calls `save(ready)` once per Ready, before sending its messages: compaction, snapshot, entries (one
 * record for all of them) and hard state in one synced LevelDB batch. The single-purpose `WritableStorage` methods are the same write for one part.
 * A batch that only moves the commit index is written without a sync: Raft needs the term, the vote and the entries
 * durable before a message depends on them, but the commit index is learnt again from a quorum after a crash
 * (the next synced write, LevelDB's log being in order, makes it durable too).
 */
export class LevelStorage implements WritableStorage {
  /** Saves run one after another: each plans against the log the previous one left. */
  private queue: Promise<void> = Promise.resolve();
  /** Set when a write failed: what reached the disk is unknown, so no further write is trusted. */
  private failure: Error | undefined;

  private constructor(
    private readonly db: Level<string, Uint8Array>,
    readonly dir: string,
    private readonly log: MemoryStorage,
    /** The stored runs of entries (one record per write), which a truncation or compaction deletes or trims. */
    private runs: Run[],
  ) {}

  /** Opens (or creates) the log in `dir` and checks it; throws CorruptLogError if it cannot be trusted. */
  static async open(dir: string): Promise<LevelStorage> {
    const db = new Level<string, Uint8Array>(dir, { valueEncoding: 'view' });
    try {
      await db.open();
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') throw new FailedPreconditionError(`data dir ${dir} is in use by another shoal process`);
      throw new FailedPreconditionError(`cannot open the Raft log at ${dir}: ${(err as Error).message}${cause ? ` (${cause.message ?? cause.code})` : ''}`);
    }
    try {
      await checkFormat(db, dir);
      const { log, runs } = await loadLog(db, dir);
      return new LevelStorage(db, dir, log, runs);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  initialState(): InitialState {
    return this.log.initialState();
  }

  entries(lo: number, hi: number): Entry[] {
    return this.log.entries(lo, hi);
  }

  term(i: number): number {
    return this.log.term(i);
  }

  firstIndex(): number {
    return this.log.firstIndex();
  }

  lastIndex(): number {
    return this.log.lastIndex();
  }

  snapshot(): Snapshot {
    return this.log.snapshot();
  }

  /** Persists one Ready's compaction, snapshot, entries and hard state with a single synced write. */
  save(batch: PersistBatch): Promise<void> {
    const run = this.queue.then(() => this.write(batch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  append(entries: readonly Entry[]): Promise<void> {
    return this.save({ entries });
  }

  setHardState(hardState: HardState): Promise<void> {
    return this.save({ entries: [], hardState });
  }

  applySnapshot(snapshot: Snapshot): Promise<void> {
    return this.save({ entries: [], snapshot });
  }

  compact(snapshot: Snapshot): Promise<void> {
    return this.save({ entries: [], compaction: snapshot });
  }

  /** Waits for the saves under way, then closes the database. */
  async close(): Promise<void> {
    await this.queue;
    await this.db.close();
  }

  private async write(batch: PersistBatch): Promise<void> {
    if (this.failure) throw this.failure;
    // Snapshots are written and kept deflated (see snapshot-data.ts).
    const compaction = batch.compaction && await packSnapshot(batch.compaction);
    const snapshot = batch.snapshot && await packSnapshot(batch.snapshot);
    const packed: PersistBatch = { ...batch, ...(compaction ? { compaction } : {}), ...(snapshot ? { snapshot } : {}) };
    const { writes, runs } = planBatch(this.log, this.runs, packed);
    if (writes.length === 0) return;
    try {
      await this.db.batch(writes, { sync: needsSync(this.log.initialState().hardState, batch) });
    } catch (err) {
      this.failure = new FailedPreconditionError(`cannot write the Raft log in ${this.dir}: ${(err as Error).message}`);
      throw this.failure;
    }
    // The same steps, in the same order, as the plan just checked.
    this.runs = runs;
    if (compaction) this.log.compact(unpackedView(compaction));
    if (snapshot) this.log.applySnapshot(unpackedView(snapshot));
    this.log.append(batch.entries);
    if (batch.hardState) this.log.setHardState(batch.hardState);
  }
}

/** False for a batch whose only change is the commit index (see the class comment). */
function needsSync(stored: HardState, batch: PersistBatch): boolean {
  if (batch.compaction || batch.snapshot || batch.entries.length > 0) return true;
  const hs = batch.hardState;
  return hs !== undefined && (hs.term !== stored.term || hs.vote !== stored.vote);
}

/**
 * A new log gets the layout's version; a log in another layout is refused by name rather than read as corrupt. There
 * is no migration: the layout changed before any release that kept a data dir across versions.
 */
async function checkFormat(db: Level<string, Uint8Array>, dir: string): Promise<void> {
  const version = await db.get(VERSION_KEY);
  if (version !== undefined) {
    const text = new TextDecoder().decode(version);
    if (text !== FORMAT_VERSION) throw new FailedPreconditionError(`the Raft log in ${dir} has format ${text}; this shoal reads format ${FORMAT_VERSION}`);
    return;
  }
  for await (const _ of db.keys({ limit: 1 })) {
    throw new FailedPreconditionError(`the Raft log in ${dir} was written by an earlier shoal (format 1); this shoal reads format ${FORMAT_VERSION} and cannot migrate it: start the manager with an empty data dir`);
  }
  await db.put(VERSION_KEY, new TextEncoder().encode(FORMAT_VERSION), { sync: true });
}
