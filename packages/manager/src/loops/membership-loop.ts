import { grpcErrorMessage, type Cancel, type Clock, type Logger } from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import type { Membership } from '../membership/members.js';
import { nextMembershipAction, type MembershipAction } from '../membership/reconcile.js';

/** Reachability changes without a store event, so the loop also looks every this often. */
const RECHECK_MS = 1_000;

/**
 * The leader's loop that takes demoted managers out of the Raft voters (`node demote` sets the role; this makes it
 * so), handing over leadership first when the demoted manager is this one.
 * One membership change at a time; a change that fails is tried again on the next look.
 */
export function membershipLoop(c: { store: MemoryStore; membership: Membership; clock: Clock; logger: Logger; self: string }) {
  let busy = false;
  let stopped = false;
  let cancelTimer: Cancel | undefined;
  let unsubscribe: (() => void) | undefined;

  const run = (action: MembershipAction): Promise<unknown> => {
    switch (action.kind) {
      case 'remove': return c.membership.removeVoter(action.id);
      case 'transfer': return c.membership.transferLeadership(action.to);
    }
  };
  const look = (): void => {
    if (busy || stopped || !c.membership.isLeader) return;
    const action = nextMembershipAction(c.store.all('nodes'), c.membership.members(), c.self);
    if (!action) return;
    busy = true;
    c.logger.info({ action }, 'changing the raft membership to follow the node roles');
    run(action).then(
      () => c.logger.info({ action }, 'raft membership changed'),
      (err: unknown) => c.logger.warn({ action, err: grpcErrorMessage(err) }, 'raft membership change failed: will try again'),
    ).finally(() => {
      busy = false;
      look();
    });
  };
  const tick = (): void => {
    cancelTimer = c.clock.setTimeout(() => { look(); if (!stopped) tick(); }, RECHECK_MS);
  };

  return {
    start(): void {
      unsubscribe = c.store.subscribe((e) => { if (e.kind !== 'commit' && e.table === 'nodes') queueMicrotask(look); });
      tick();
      look();
    },
    stop(): void {
      stopped = true;
      unsubscribe?.();
      cancelTimer?.();
    },
  };
}
