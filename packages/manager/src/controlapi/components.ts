import type { Clock, Logger, Rand } from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import type { Dispatcher } from '../dispatcher/index.js';

/** What the control API's handlers need. */
export interface ControlComponents {
  store: MemoryStore;
  dispatcher: Pick<Dispatcher, 'subscribeLogs'>;
  clock: Clock;
  rand: Rand;
  logger: Logger;
  /** This manager: its node id, address and data dir, for Info. */
  self: { nodeId: string; addr: string; dataDir: string; version: string };
}
