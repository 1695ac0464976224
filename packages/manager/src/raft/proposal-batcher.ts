import { UnavailableError } from '@shoal/api';

interface Waiter {
  resolve(index: number): void;
  reject(err: Error): void;
}

interface Pending {
  readonly term: number;
  /** The tick after which the proposal gives up waiting. */
  readonly deadline: number;
  readonly waiter: Waiter;
}

/**
 * The proposals of one driver: queued ones wait for the next loop turn, which puts them all in the log as one entry
 * batch (one write, one append per follower); pending ones are in the log and wait to be applied at their index, for
 * at most `timeoutTicks`.
 */
export class ProposalBatcher {
  private queued: Array<{ data: Uint8Array; waiter: Waiter }> = [];
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly timeoutTicks: number, private readonly tickMs: number) {}

  get size(): number {
    return this.queued.length + this.pending.size;
  }

  enqueue(data: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => this.queued.push({ data, waiter: { resolve, reject } }));
  }

  /** Takes every queued proposal; `append` puts their data in the log and returns the index of the first one. */
  flush(now: number, append: (data: readonly Uint8Array[]) => { first: number; term: number }): void {
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    let placed: { first: number; term: number };
    try {
      placed = append(batch.map((p) => p.data));
    } catch (err) {
      for (const p of batch) p.waiter.reject(err as Error);
      return;
    }
    const deadline = now + this.timeoutTicks;
    batch.forEach((p, i) => this.pending.set(placed.first + i, { term: placed.term, deadline, waiter: p.waiter }));
  }

  /** Waits for the entry at `index` of `term` to be applied. */
  track(now: number, index: number, term: number): Promise<number> {
    const deadline = now + this.timeoutTicks;
    return new Promise((resolve, reject) => this.pending.set(index, { term, deadline, waiter: { resolve, reject } }));
  }

  /**
   * Fails the proposals still not applied at their deadline. Raft retries for ever, so a leader that keeps its quorum
   * but cannot get an entry acknowledged (a lossy link) would otherwise hold its caller, and the store's queue, for ever.
   */
  expire(now: number): void {
    for (const [index, p] of this.pending) {
      if (now < p.deadline) continue;
      this.pending.delete(index);
      p.waiter.reject(new UnavailableError(
        `entry ${index} was not committed within ${this.timeoutTicks * this.tickMs} ms: the leader cannot replicate it (it may still commit)`,
      ));
    }
  }

  /** The entry at `index` was applied: its proposal resolves, unless another leader's entry took that index. */
  applied(index: number, term: number): void {
    const p = this.pending.get(index);
    if (!p) return;
    this.pending.delete(index);
    if (p.term === term) p.waiter.resolve(index);
    else p.waiter.reject(new UnavailableError(`leadership was lost before entry ${index} was committed`));
  }

  /** Fails every pending proposal up to `index` (a snapshot replaced those entries). */
  rejectUpTo(index: number, err: Error): void {
    for (const [i, p] of this.pending) {
      if (i <= index) {
        this.pending.delete(i);
        p.waiter.reject(err);
      }
    }
  }

  rejectAll(err: Error): void {
    const queued = this.queued;
    this.queued = [];
    for (const p of queued) p.waiter.reject(err);
    for (const p of this.pending.values()) p.waiter.reject(err);
    this.pending.clear();
  }
}
