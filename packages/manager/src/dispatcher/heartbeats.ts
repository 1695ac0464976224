/**
 * When each node was last heard from. A node is expired once it has been silent for 3 heartbeat periods
 * (or its start-up grace, after a manager start, has run out).
 */
export class HeartbeatTracker {
  private readonly deadlines = new Map<string, number>();

  constructor(private periodMs: number) {}

  setPeriod(periodMs: number): void { this.periodMs = periodMs; }
  get period(): number { return this.periodMs; }

  beat(nodeId: string, now: number): void { this.deadlines.set(nodeId, now + 3 * this.periodMs); }

  /** Gives a node `periods` heartbeat periods before it counts as down (used when the manager starts). */
  grace(nodeId: string, now: number, periods: number): void { this.deadlines.set(nodeId, now + periods * this.periodMs); }

  forget(nodeId: string): void { this.deadlines.delete(nodeId); }

  /** Nodes whose deadline has passed; they are forgotten until they beat again. */
  expire(now: number): string[] {
    const out: string[] = [];
    for (const [id, deadline] of this.deadlines) if (deadline <= now) out.push(id);
    for (const id of out) this.deadlines.delete(id);
    return out;
  }
}
