import type { Entry, NodeId } from '../../packages/manager/src/raft/core/index.js';

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

/** What identifies an entry's content: term, type and data. */
export function entryKey(e: Entry): string {
  return `${e.term}/${e.type}/${new TextDecoder().decode(e.data)}`;
}

/**
 * The Raft safety properties (Figure 3 of the paper), checked incrementally as the simulation runs:
 * - election safety: at most one leader per term;
 * - log matching: an entry (index, term) always has the same content and the same predecessor term, so two logs
 *   that agree on an entry agree on everything before it;
 * - leader completeness: a leader of a term later than the one in which an entry was known committed holds it;
 * - state-machine safety: every node applies the same entry at each index (applied logs are prefixes of one sequence).
 */
export class SafetyChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  private readonly entryAt = new Map<string, { key: string; prevTerm: number }>();
  /** The one applied sequence: index -> entry key. */
  readonly appliedSequence = new Map<number, string>();
  /** Known committed entries: index -> term, and the term of the node that first reported it committed. */
  private readonly committed = new Map<number, { term: number; observedTerm: number }>();
  maxCommitted = 0;
  /** Per leader and term: committed indexes already checked against its log. */
  private readonly leaderChecked = new Map<string, number>();

  leader(id: NodeId, term: number): void {
    const other = this.leaderOfTerm.get(term);
    if (other !== undefined && other !== id) throw new InvariantViolation(`election safety: ${other} and ${id} both lead term ${term}`);
    this.leaderOfTerm.set(term, id);
  }

  persisted(node: NodeId, e: Entry, prevTerm: number): void {
    const at = `${e.index}/${e.term}`;
    const key = entryKey(e);
    const seen = this.entryAt.get(at);
    if (!seen) {
      this.entryAt.set(at, { key, prevTerm });
      return;
    }
    if (seen.key !== key) throw new InvariantViolation(`log matching: ${node} has ${key} at ${at}, another log has ${seen.key}`);
    if (seen.prevTerm !== prevTerm) {
      throw new InvariantViolation(`log matching: ${node} has term ${prevTerm} before ${at}, another log has ${seen.prevTerm}`);
    }
  }

  commitObserved(commit: number, termAt: (i: number) => number, observedTerm: number): void {
    for (let i = this.maxCommitted + 1; i <= commit; i++) {
      const term = termAt(i);
      // 0: compacted by the observer, which proves it committed; its content is checked when applied.
      if (term !== 0) this.committed.set(i, { term, observedTerm });
    }
    this.maxCommitted = Math.max(this.maxCommitted, commit);
  }

  leaderHolds(id: NodeId, term: number, lastIndex: number, termAt: (i: number) => number): void {
    const key = `${id}/${term}`;
    const from = (this.leaderChecked.get(key) ?? 0) + 1;
    for (let i = from; i <= this.maxCommitted; i++) {
      const c = this.committed.get(i);
      if (!c || c.observedTerm >= term) continue;
      if (i > lastIndex) throw new InvariantViolation(`leader completeness: ${id} (term ${term}) lacks committed index ${i}`);
      // 0: below the leader's snapshot, so committed there too.
      const held = termAt(i);
      if (held !== 0 && held !== c.term) {
        throw new InvariantViolation(`leader completeness: ${id} (term ${term}) has term ${held} at committed index ${i}, committed with term ${c.term}`);
      }
    }
    this.leaderChecked.set(key, this.maxCommitted);
  }

  applied(node: NodeId, index: number, key: string): void {
    const expected = this.appliedSequence.get(index);
    if (expected === undefined) this.appliedSequence.set(index, key);
    else if (expected !== key) throw new InvariantViolation(`state-machine safety: ${node} applied ${key} at ${index}, another node applied ${expected}`);
  }
}
