import { UnavailableError } from '@shoal/api';
import { majority, type NodeId } from './core/index.js';

/** This manager does not lead; `leader` (and its address) is who does, for the caller to forward to. */
export class NotLeaderError extends UnavailableError {
  constructor(readonly leader: NodeId, readonly leaderAddr: string) {
    super(`not the leader: the leader is ${leader}${leaderAddr ? ` at ${leaderAddr}` : ''}`);
  }
}

/** Too few managers are reachable to commit anything. */
export class NoQuorumError extends UnavailableError {
  constructor(readonly reachable: number, readonly members: number) {
    super(`no quorum: ${reachable} of ${members} managers reachable`);
  }
}

/** No leader is known, but enough managers may be reachable to elect one: soon there will be. */
export class NoLeaderError extends UnavailableError {
  constructor() {
    super('no leader: an election is under way, try again in a moment');
  }
}

/**
 * Why a manager that knows no leader cannot serve a call that needs one: no quorum when fewer than a quorum of the
 * `voters` are `reachable` and that count is `settled` (a follower whose leader just went has not heard from the
 * other followers yet: they are silent, not gone), else an election under way.
 */
export function leaderlessError(reachable: number, voters: number, settled: boolean): Error {
  if (settled && reachable < majority(voters)) return new NoQuorumError(reachable, voters);
  return new NoLeaderError();
}
