/**
 * The append messages in flight to one follower in replicate state, by the last index each carries. A full window
 * pauses pipelining until the follower acknowledges.
 */
export class Inflights {
  private readonly lastIndexes: number[] = [];

  constructor(readonly capacity: number) {}

  add(lastIndex: number): void {
    if (this.full()) throw new RangeError('inflight window is full');
    this.lastIndexes.push(lastIndex);
  }

  /** Frees every message up to and including `index`, acknowledged by the follower. */
  freeLE(index: number): void {
    let n = 0;
    while (n < this.lastIndexes.length && (this.lastIndexes[n] ?? Infinity) <= index) n++;
    this.lastIndexes.splice(0, n);
  }

  /** Frees the oldest message: a heartbeat answer shows the follower is alive though an append may be lost. */
  freeFirst(): void {
    this.lastIndexes.shift();
  }

  full(): boolean {
    return this.lastIndexes.length >= this.capacity;
  }

  count(): number {
    return this.lastIndexes.length;
  }

  reset(): void {
    this.lastIndexes.length = 0;
  }
}
