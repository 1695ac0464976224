import { UnavailableError } from '@shoal/api';
import { NoQuorumError } from '../raft/errors.js';

/** A voter of the Raft cluster, as the local manager sees it. */
export interface Member {
  readonly id: string;
  readonly addr: string;
  /** Heard from within an election timeout (this manager itself always is). */
  readonly reachable: boolean;
}

/** What the control API and the membership loop need of the Raft driver. */
export interface Membership {
  readonly isLeader: boolean;
  /** The leader as this manager knows it; id '' while none is known. */
  leaderInfo(): { id: string; addr: string };
  members(): Member[];
  /** Whether members()' reachability can tell a lost quorum (not so on a follower just after its leader went). */
  reachabilitySettled(): boolean;
  addVoter(id: string, addr: string): Promise<number>;
  removeVoter(id: string): Promise<number>;
  transferLeadership(to: string): Promise<void>;
}

export function quorum(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

/**
 * Why `id` cannot stop being a voter now — it is the last one, or the voters left would not hold a reachable
 * quorum — or undefined when it can.
 */
export function removalRefusal(members: readonly Member[], id: string, name: string): string | undefined {
  const rest = members.filter((m) => m.id !== id);
  if (rest.length === members.length) return undefined;
  if (rest.length === 0) return `${name} is the only manager: a cluster needs at least one`;
  const reachable = rest.filter((m) => m.reachable).length;
  const needed = quorum(rest.length);
  if (reachable < needed) {
    return `removing ${name} would lose quorum: ${reachable} of the ${rest.length} managers left are reachable, ${needed} are needed`;
  }
  return undefined;
}

/** No leader is known, but enough managers are reachable to elect one: soon there will be. */
export class NoLeaderError extends UnavailableError {
  constructor() {
    super('no leader: an election is under way, try again in a moment');
  }
}

/**
 * The error for a call that needs the leader when this manager knows none: no quorum only when its view of the
 * others is `settled` (a follower whose leader just went has not heard from the other followers yet).
 */
export function noLeaderError(members: readonly Member[], settled: boolean): Error {
  const reachable = members.filter((m) => m.reachable).length;
  if (settled && reachable < quorum(members.length)) return new NoQuorumError(reachable, members.length);
  return new NoLeaderError();
}
