import type { NodeId } from './core/index.js';

/**
 * Which members this node heard from within the last election timeout, counted in ticks. The core's check-quorum
 * may take up to two election timeouts to step a cut-off leader down; this lets the driver fail proposals within one.
 */
export class Reachability {
  private ticks = 0;
  private readonly lastHeard = new Map<NodeId, number>();

  constructor(private readonly self: NodeId, private readonly electionTicks: number) {}

  tick(): void {
    this.ticks++;
  }

  /** A member is presumed reachable for one election timeout after it is first known. */
  heardFrom(id: NodeId): void {
    this.lastHeard.set(id, this.ticks);
  }

  forget(id: NodeId): void {
    this.lastHeard.delete(id);
  }

  isReachable(id: NodeId): boolean {
    if (id === this.self) return true;
    const heard = this.lastHeard.get(id);
    return heard !== undefined && this.ticks - heard < this.electionTicks;
  }

  count(members: readonly NodeId[]): number {
    return members.filter((id) => this.isReachable(id)).length;
  }
}
