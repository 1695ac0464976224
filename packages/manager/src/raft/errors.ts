import { UnavailableError } from '@shoal/api';
import type { NodeId } from './core/index.js';

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
