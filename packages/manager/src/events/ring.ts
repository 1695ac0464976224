import type { EventRecord } from './derive.js';

/** The most recent events in order of index, in a fixed-size circular buffer: memory stays bounded. */
export class EventRing {
  private readonly slots: Array<EventRecord | undefined>;
  /** Where the next event goes. */
  private next = 0;
  private count = 0;
  /** The index and time of the newest event no longer kept (-1: none dropped yet). */
  private droppedIndex = -1;
  private droppedTime = -1;

  constructor(readonly capacity = 10_000) {
    if (!(capacity > 0)) throw new RangeError('event ring capacity must be positive');
    this.slots = new Array<EventRecord | undefined>(capacity);
  }

  get size(): number { return this.count; }

  push(record: EventRecord): void {
    const gone = this.count === this.capacity ? this.slots[this.next] : undefined;
    if (gone) {
      this.droppedIndex = gone.event.index;
      this.droppedTime = gone.event.time;
    }
    this.slots[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The oldest event kept, if any. */
  oldest(): EventRecord | undefined {
    return this.count === 0 ? undefined : this.slots[(this.next - this.count + this.capacity) % this.capacity];
  }

  /**
   * Whether events after `index` (or, without one, at or after `since`) were dropped: a replay of them is missing
   * some (which may or may not have matched a stream's filters: what is dropped leaves no trace but this).
   */
  droppedAfter(index: number, since: number): boolean {
    if (this.droppedIndex < 0) return false;
    return index > 0 ? this.droppedIndex > index : since > 0 && this.droppedTime >= since;
  }

  /** Every event kept, oldest first. */
  *records(): IterableIterator<EventRecord> {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) yield this.slots[(start + i) % this.capacity]!;
  }

  /** The events with an index above `index`, oldest first (a binary search finds the first: indexes only grow). */
  *after(index: number): IterableIterator<EventRecord> {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    const at = (i: number) => this.slots[(start + i) % this.capacity]!;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at(mid).event.index <= index) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.count; i++) yield at(i);
  }
}
