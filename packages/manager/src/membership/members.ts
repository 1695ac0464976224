import { majority } from '../raft/core/index.js';
import { leaderlessError } from '../raft/errors.js';

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

/**
 * Why `id` cannot stop being a voter now — it is the last one, or the voters left would not hold a reachable
 * quorum — or undefined when it can.
 */
export function removalRefusal(members: readonly Member[], id: string, name: string): string | undefined {
  const rest = members.filter((m) => m.id !== id);
  if (rest.length === members.length) return undefined;
  if (rest.length === 0) return `${name} is the only manager: a cluster needs at least one`;
  const reachable = rest.filter((m) => m.reachable).length;
  const needed = majority(rest.length);
  if (reachable < needed) {
    return `removing ${name} would lose quorum: ${reachable} of the ${rest.length} managers left are reachable, ${needed} are needed`;
  }
  return undefined;
}

/** The error for a call that needs the leader when this manager knows none (see leaderlessError). */
export function noLeaderError(view: Pick<Membership, 'members' | 'reachabilitySettled'>): Error {
  const members = view.members();
  return leaderlessError(members.filter((m) => m.reachable).length, members.length, view.reachabilitySettled());
}
