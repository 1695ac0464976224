/**
 * When each node was last heard from. A node is expired once it has been silent for 3 heartbeat periods
 * (or its start-up grace, after a manager start, has run out). Sooner, once it has been silent for one period
 * (agents beat every half period, so it missed two beats), it is silent: the routing mesh stops sending it
 * connections, and takes it back at its next beat.
 */
export class HeartbeatTracker {
  private readonly deadlines = new Map<string, number>();
  /** When each node heard from counts as silent. */
  private readonly quietAt = new Map<string, number>();

  constructor(private periodMs: number) {}

  setPeriod(periodMs: number): void { this.periodMs = periodMs; }
  get period(): number { return this.periodMs; }

  beat(nodeId: string, now: number): void {
    this.deadlines.set(nodeId, now + 3 * this.periodMs);
    this.quietAt.set(nodeId, now + this.periodMs);
  }

  /**
   * Gives a node `periods` heartbeat periods before it counts as down (used when the manager starts); it counts as
   * silent after one period, as if it had just beaten.
   */
  grace(nodeId: string, now: number, periods: number): void {
    this.deadlines.set(nodeId, now + periods * this.periodMs);
    this.quietAt.set(nodeId, now + this.periodMs);
  }

  forget(nodeId: string): void {
    this.deadlines.delete(nodeId);
    this.quietAt.delete(nodeId);
  }

  /** Nodes whose deadline has passed; they are forgotten until they beat again. */
  expire(now: number): string[] {
    const out: string[] = [];
    for (const [id, deadline] of this.deadlines) if (deadline <= now) out.push(id);
    for (const id of out) this.forget(id);
    return out;
  }

  /** Nodes silent for a period since their last beat, each reported once until it beats again. */
  silent(now: number): string[] {
    const out: string[] = [];
    for (const [id, at] of this.quietAt) if (at <= now) out.push(id);
    for (const id of out) this.quietAt.delete(id);
    return out;
  }

  /** When the next node falls silent, if any may. */
  nextSilence(): number | undefined {
    let next: number | undefined;
    for (const at of this.quietAt.values()) if (next === undefined || at < next) next = at;
    return next;
  }
}
