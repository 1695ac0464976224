import type { Applier, Proposer, StoreAction } from '../../../packages/manager/src/store/index.js';

/** Commits and applies every transaction at once, in order, as a single manager without disk would. */
export class LocalProposer implements Proposer {
  index = 0;
  private apply: Applier = () => undefined;
  setApplier(apply: Applier): void { this.apply = apply; }
  async propose(actions: readonly StoreAction[]): Promise<number> {
    this.apply(actions, ++this.index);
    return this.index;
  }
}
