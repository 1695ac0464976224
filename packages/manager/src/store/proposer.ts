import type { StoreAction } from './tables.js';

/** Applies committed actions to the store's tables, in log order. */
export type Applier = (actions: readonly StoreAction[], index: number) => void;

/**
 * Makes a transaction's actions durable (and, with Raft, replicated), gives them their index and has them applied.
 * The proposer applies, not the store: with Raft every manager applies the committed log, the proposing one included,
 * so one path serves the actions of this manager and of the others.
 */
export interface Proposer {
  /** Called once, by the store, before any proposal. */
  setApplier(apply: Applier): void;
  /** Resolves with the index once the actions were applied locally. */
  propose(actions: readonly StoreAction[]): Promise<number>;
}
