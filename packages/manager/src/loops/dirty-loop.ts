import type { Cancel, Clock, Logger } from '@shoal/api';
import type { MemoryStore, StoreEvent, WriteTx } from '../store/index.js';

export interface DirtyLoopInit<K> {
  name: string;
  store: MemoryStore;
  clock: Clock;
  logger: Logger;
  /** Which keys an event makes dirty. */
  mark(event: Exclude<StoreEvent, { kind: 'commit' }>, dirty: Set<K>): void;
  /** Every key, for the full pass at start. */
  all(): Iterable<K>;
  /** Reconciles the dirty keys inside one transaction; returns when to run again (ms from now) if it must. */
  reconcile(tx: WriteTx, dirty: ReadonlySet<K>, now: number): number | undefined;
  /** Coalesces bursts of commits into one pass. */
  debounceMs?: number;
}

/**
 * The shape of every leader loop: subscribe to the store, mark what events make dirty, and after a commit
 * reconcile the dirty set in one transaction. Passes never overlap; a pass that fails is retried.
 */
export class DirtyLoop<K> {
  private dirty = new Set<K>();
  private running = false;
  private stopped = false;
  private cancelTimer: Cancel | undefined;
  private wakeAt = Infinity;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly init: DirtyLoopInit<K>) {}

  start(): void {
    this.unsubscribe = this.init.store.subscribe((e) => {
      if (e.kind === 'commit') { if (this.dirty.size) this.schedule(this.init.debounceMs ?? 0); return; }
      this.init.mark(e, this.dirty);
    });
    for (const k of this.init.all()) this.dirty.add(k);
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.cancelTimer?.();
  }

  /** Marks a key dirty from outside (e.g. a timer that fell due). */
  poke(key: K): void {
    this.dirty.add(key);
    this.schedule(this.init.debounceMs ?? 0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    const at = this.init.clock.now() + ms;
    if (at >= this.wakeAt) return;
    this.cancelTimer?.();
    this.wakeAt = at;
    this.cancelTimer = this.init.clock.setTimeout(() => { this.wakeAt = Infinity; void this.pass(); }, ms);
  }

  private async pass(): Promise<void> {
    if (this.running || this.stopped) { if (!this.stopped) this.schedule(10); return; }
    const dirty = this.dirty;
    this.dirty = new Set();
    this.running = true;
    let again: number | undefined;
    try {
      again = await this.init.store.update((tx) => this.init.reconcile(tx, dirty, this.init.clock.now()));
    } catch (err) {
      this.init.logger.warn({ err, loop: this.init.name }, 'reconcile pass failed; retrying');
      for (const k of dirty) this.dirty.add(k);
      again = 100;
    } finally {
      this.running = false;
    }
    if (this.dirty.size) this.schedule(this.init.debounceMs ?? 0);
    if (again !== undefined) this.schedule(again);
  }
}
