import type { Applier, Proposer, StoreAction } from '../../../packages/manager/src/store/index.js';

interface Held {
  readonly actions: readonly StoreAction[];
  resolve(index: number): void;
  reject(err: Error): void;
}

/** Holds every proposal until the test commits (applies, in order) or fails it: a proposal in flight, on demand. */
export class HeldProposer implements Proposer {
  index = 0;
  readonly held: Held[] = [];
  private apply: Applier = () => undefined;

  setApplier(apply: Applier): void { this.apply = apply; }

  propose(actions: readonly StoreAction[]): Promise<number> {
    return new Promise((resolve, reject) => this.held.push({ actions, resolve, reject }));
  }

  /** Applies and resolves the oldest `n` held proposals. */
  commit(n = this.held.length): void {
    for (const p of this.held.splice(0, n)) {
      this.apply(p.actions, ++this.index);
      p.resolve(this.index);
    }
  }

  /** Rejects the oldest `n` held proposals with `err`, applying nothing. */
  fail(err: Error, n = this.held.length): void {
    for (const p of this.held.splice(0, n)) p.reject(err);
  }
}
