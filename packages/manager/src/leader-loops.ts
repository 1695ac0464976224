import type { Clock, Logger, Rand } from '@shoal/api';
import type { MemoryStore } from './store/index.js';
import { orchestratorLoop } from './loops/orchestrator-loop.js';
import { schedulerLoop } from './loops/scheduler-loop.js';
import { membershipLoop } from './loops/membership-loop.js';
import type { Membership } from './membership/members.js';

/** Starts the loops that only the leader runs; returns the function that stops them. */
export function startLeaderLoops(c: { store: MemoryStore; clock: Clock; rand: Rand; logger: Logger; membership: Membership; self: string }): () => void {
  const loops = [
    orchestratorLoop({ ...c, logger: c.logger.child({ component: 'orchestrator' }) }),
    schedulerLoop({ ...c, logger: c.logger.child({ component: 'scheduler' }) }),
    membershipLoop({ ...c, logger: c.logger.child({ component: 'membership' }) }),
  ];
  for (const l of loops) l.start();
  return () => { for (const l of loops) l.stop(); };
}
