import { CompactedError, EntryUnavailableError, LogInvariantError } from './errors.js';
import type { Entry, Snapshot } from './messages.js';
import type { Storage } from './storage.js';
import { UnstableLog } from './unstable.js';

/**
 * The Raft log as the core sees it: the persisted part (read through Storage) followed by the unstable part, with
 * the commit and apply marks. applied <= applying and applied <= committed <= lastIndex always hold.
 */
export class RaftLog {
  readonly unstable: UnstableLog;
  committed: number;
  applied: number;
  /** The last index handed to the application to apply (in a Ready, or taken between a Ready and its advance). */
  applying: number;

  constructor(private readonly storage: Storage) {
    this.unstable = new UnstableLog(storage.lastIndex() + 1);
    this.committed = storage.firstIndex() - 1;
    this.applied = this.committed;
    this.applying = this.applied;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** Term at i; 0 past the last index. Throws CompactedError below the snapshot. */
  term(i: number): number {
    const dummy = this.firstIndex() - 1;
    if (i < dummy) throw new CompactedError(i, this.firstIndex());
    if (i > this.lastIndex()) return 0;
    return this.unstable.maybeTerm(i) ?? this.storage.term(i);
  }

  /** Term at i, or 0 where it is not known (compacted or past the end). */
  termOrZero(i: number): number {
    try {
      return this.term(i);
    } catch (err) {
      if (err instanceof CompactedError || err instanceof EntryUnavailableError) return 0;
      throw err;
    }
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  matchTerm(i: number, term: number): boolean {
    return this.termOrZero(i) === term && (term !== 0 || i === 0 || i === this.firstIndex() - 1);
  }

  /** §5.4.1: a candidate's log is at least as up to date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Appends a leader's entries after (index, logTerm) if our log has that entry; returns the index of the last new
   * entry, or undefined when the logs do not match there (§5.3 consistency check).
   */
  maybeAppend(index: number, logTerm: number, commit: number, entries: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new LogInvariantError(`entry ${conflict} conflicts with a committed entry (committed ${this.committed})`);
      }
      this.append(entries.slice(conflict - (index + 1)));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  append(entries: readonly Entry[]): number {
    const first = entries[0];
    if (!first) return this.lastIndex();
    if (first.index - 1 < this.committed) {
      throw new LogInvariantError(`append after ${first.index - 1} would truncate committed entries (committed ${this.committed})`);
    }
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /** The first index whose entry differs from ours (a different term or an entry we lack), or 0. */
  private findConflict(entries: readonly Entry[]): number {
    for (const e of entries) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, and that term: where a log that has `term` at some index
   * can at best match ours. Used to skip a whole conflicting term per round trip.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = Math.min(index, this.lastIndex()); ; i--) {
      let t: number;
      try {
        t = this.term(i);
      } catch (err) {
        if (err instanceof CompactedError) return { index: i, term: 0 };
        throw err;
      }
      if (t <= term) return { index: i, term: t };
    }
  }

  /** The last index whose entry is on disk and still part of this log (entries handed out but not stable are not). */
  lastStableIndex(): number {
    return this.unstable.entries.length > 0 ? this.unstable.offset - 1 : this.lastIndex();
  }

  unstableEntries(): Entry[] {
    return [...this.unstable.entries];
  }

  /** Committed entries not yet applied. */
  nextCommittedEntries(): Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    return this.committed + 1 > lo ? this.slice(lo, this.committed + 1) : [];
  }

  /** Committed entries not handed to the application yet. */
  committedToApply(): Entry[] {
    const lo = Math.max(this.applying + 1, this.firstIndex());
    return this.committed + 1 > lo ? this.slice(lo, this.committed + 1) : [];
  }

  hasCommittedToApply(): boolean {
    return this.committed + 1 > Math.max(this.applying + 1, this.firstIndex());
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) {
      throw new LogInvariantError(`commit ${index} is past the last index ${this.lastIndex()}: log corrupt or truncated`);
    }
    this.committed = index;
  }

  /** §5.4.2: a leader commits by counting replicas only for an entry of its own term. */
  maybeCommit(index: number, term: number): boolean {
    if (index > this.committed && this.termOrZero(index) === term) {
      this.commitTo(index);
      return true;
    }
    return false;
  }

  appliedTo(index: number): void {
    if (index === 0) return;
    if (index > this.committed || index < this.applied) {
      throw new LogInvariantError(`applied ${index} outside [${this.applied}, ${this.committed}]`);
    }
    this.applied = index;
    this.applying = Math.max(this.applying, index);
  }

  stableTo(index: number, term: number): void {
    this.unstable.stableTo(index, term);
  }

  stableSnapTo(index: number): void {
    this.unstable.stableSnapTo(index);
  }

  restore(snapshot: Snapshot): void {
    this.committed = snapshot.metadata.index;
    this.unstable.restore(snapshot);
  }

  /** Up to `max` entries from `from` on. Throws CompactedError if `from` is compacted. */
  entries(from: number, max: number): Entry[] {
    if (from > this.lastIndex()) return [];
    return this.slice(from, Math.min(this.lastIndex() + 1, from + max));
  }

  slice(lo: number, hi: number): Entry[] {
    if (lo < this.firstIndex()) throw new CompactedError(lo, this.firstIndex());
    if (hi > this.lastIndex() + 1) throw new EntryUnavailableError(hi - 1, this.lastIndex());
    const stableEnd = Math.min(hi, this.unstable.offset);
    const stable = lo < stableEnd ? this.storage.entries(lo, stableEnd) : [];
    const unstableStart = Math.max(lo, this.unstable.offset);
    return unstableStart < hi ? [...stable, ...this.unstable.slice(unstableStart, hi)] : stable;
  }
}
