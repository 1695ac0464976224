import type { StoreAction } from './tables.js';

/**
 * Makes a transaction's actions durable (and, with Raft, replicated) and gives them their index.
 * The store applies them only after propose resolves, so every manager applies the same sequence.
 */
export interface Proposer {
  propose(actions: readonly StoreAction[]): Promise<number>;
}
