import type { Clock, Logger, Rand } from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import type { Dispatcher } from '../dispatcher/index.js';
import type { Membership } from '../membership/members.js';
import type { EventLog } from '../events/index.js';

/** What the control API's handlers need. */
export interface ControlComponents {
  store: MemoryStore;
  /**
   * The leader's dispatcher: log subscriptions, the agents' sessions for promote, the routing mesh's endpoints
   * (service inspect) and each node's mesh listeners (node inspect).
   */
  dispatcher: Pick<Dispatcher, 'subscribeLogs' | 'connected' | 'promote' | 'endpointsOf' | 'meshOf'>;
  clock: Clock;
  rand: Rand;
  logger: Logger;
  /** The Raft voters and leader: for Info, MANAGER STATUS, promote and demote. */
  membership: Membership;
  /** The leader's answer to a unary control call, for a follower's Info; undefined if it cannot be had. */
  askLeader<Res>(method: string, req: object, timeoutMs: number): Promise<Res | undefined>;
  /** This manager's event log (every manager keeps one): for Events. */
  events: Pick<EventLog, 'ring' | 'subscribe'>;
  /** This manager: its node id, address and data dir, for Info. */
  self: { nodeId: string; addr: string; dataDir: string; version: string };
}
