/** Typed errors of the Raft core: match on the class or `name`, never on the message. */

export class RaftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The entries asked for were discarded by a compaction; a snapshot stands in for them. */
export class CompactedError extends RaftError {
  constructor(readonly index: number, readonly firstIndex: number) {
    super(`index ${index} is compacted (first available index is ${firstIndex})`);
  }
}

/** The entries asked for are past the end of the log. */
export class EntryUnavailableError extends RaftError {
  constructor(readonly index: number, readonly lastIndex: number) {
    super(`index ${index} is unavailable (last index is ${lastIndex})`);
  }
}

/** A snapshot not newer than the one already held. */
export class SnapshotOutOfDateError extends RaftError {
  constructor(readonly index: number, readonly currentIndex: number) {
    super(`snapshot at index ${index} is not newer than the current snapshot at index ${currentIndex}`);
  }
}

/** A proposal this node cannot take: it is not the leader, a transfer is under way, or a change is pending. */
export class ProposalDroppedError extends RaftError {
  constructor(readonly reason: string) {
    super(`proposal dropped: ${reason}`);
  }
}

/** A role change Raft does not allow, such as follower straight to leader: a bug, never a runtime condition. */
export class IllegalTransitionError extends RaftError {
  constructor(readonly from: string, readonly to: string) {
    super(`illegal transition from ${from} to ${to}`);
  }
}

/** State that violates an invariant of the log (a commit past the last index, a truncation of committed entries). */
export class LogInvariantError extends RaftError {}

export class InvalidConfigError extends RaftError {}
