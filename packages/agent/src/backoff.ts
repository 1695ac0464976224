import type { Rand } from '@shoal/api';

/** Exponential backoff with jitter: each delay is drawn in [ceiling/2, ceiling], the ceiling doubling up to capMs. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly rand: Rand, private readonly baseMs = 200, private readonly capMs = 2_000) {}

  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const [hi = 0, lo = 0] = this.rand.bytes(2);
    const fraction = (hi * 256 + lo) / 65_536;
    return Math.round(ceiling / 2 + (fraction * ceiling) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
