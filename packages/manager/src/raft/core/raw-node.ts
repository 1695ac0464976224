import { encodeConfChange, type ConfChange } from './conf-change.js';
import { LogInvariantError, RaftError, SnapshotOutOfDateError } from './errors.js';
import {
  isLocalMessage,
  newMessage,
  sameHardState,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type Role,
  type Snapshot,
  type SoftState,
} from './messages.js';
import type { ProgressState } from './progress.js';
import { Raft, type RaftConfig } from './raft.js';

/**
 * One batch of work for the driver. Handle it in this order, then call `advance`:
 * 1. persist `compaction`, `snapshot`, `entries` and `hardState` (one atomic, synced write) — the messages that
 *    `sendableBeforePersist` picks may leave while this write is under way;
 * 2. send the other `messages` (a vote or an acknowledgement must never precede its persistence);
 * 3. apply `snapshot`, then `committed` entries, to the state machine (conf entries via `applyConfChange`); they are
 *    committed on a quorum already, so this may also happen before or during the write.
 */
export interface Ready {
  readonly softState?: SoftState;
  readonly hardState?: HardState;
  /** Entries to append to storage. */
  readonly entries: Entry[];
  /** A snapshot from the leader: replaces the stored log and the state machine. */
  readonly snapshot?: Snapshot;
  /** A snapshot this node made (see `compact`): stored, and the entries it covers discarded. */
  readonly compaction?: Snapshot;
  /** Entries committed and not applied yet. */
  readonly committed: Entry[];
  readonly messages: Message[];
}

export interface PeerStatus {
  readonly match: number;
  readonly next: number;
  readonly state: ProgressState;
  readonly recentActive: boolean;
}

export interface Status {
  readonly id: NodeId;
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
  readonly applied: number;
  readonly lastIndex: number;
  /** The last index on this node's disk (a compaction may not go past it). */
  readonly lastStableIndex: number;
  readonly leader: NodeId;
  readonly role: Role;
  readonly leadTransferee: NodeId;
  /** The leader's view of each voter; empty on other roles. */
  readonly progress: ReadonlyMap<NodeId, PeerStatus>;
}

const NO_ENTRY_POSITION = { term: 0, index: 0 } as const;

/** The driver's handle on the Raft core: inputs (tick, step, propose…) and the Ready/advance handshake. */
export class RawNode {
  private readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  private pendingCompaction: Snapshot | undefined;

  constructor(config: RaftConfig) {
    this.raft = new Raft(config);
    this.prevSoftState = this.raft.softState();
    this.prevHardState = config.storage.initialState().hardState;
  }

  get id(): NodeId {
    return this.raft.id;
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now instead of waiting for the timeout. */
  campaign(): void {
    this.raft.step(newMessage({ type: 'hup', from: this.raft.id }));
  }

  /** A message from a peer. Local message types are refused: only this node makes those. */
  step(m: Message): void {
    if (isLocalMessage(m.type)) throw new RaftError(`refusing local message type ${m.type} from the network`);
    this.raft.step(m);
  }

  /** Appends `data` to the log if this node is the leader; throws ProposalDroppedError otherwise. */
  propose(data: Uint8Array): void {
    this.proposeEntry({ ...NO_ENTRY_POSITION, type: 'normal', data });
  }

  /** Appends several entries in one step (one append message per follower); all or none, as `propose`. */
  proposeAll(data: readonly Uint8Array[]): void {
    if (data.length === 0) return;
    const entries = data.map((d): Entry => ({ ...NO_ENTRY_POSITION, type: 'normal', data: d }));
    this.raft.step(newMessage({ type: 'prop', from: this.raft.id, entries }));
  }

  /** Proposes a membership change; it takes effect when the application applies it with `applyConfChange`. */
  proposeConfChange(change: ConfChange): void {
    this.proposeEntry({ ...NO_ENTRY_POSITION, type: 'conf', data: encodeConfChange(change) });
  }

  private proposeEntry(entry: Entry): void {
    this.raft.step(newMessage({ type: 'prop', from: this.raft.id, entries: [entry] }));
  }

  /** Asks the leader (this node) to hand leadership to `to` once `to` has the whole log. */
  transferLeadership(to: NodeId): void {
    this.raft.step(newMessage({ type: 'transfer-leader', from: to }));
  }

  applyConfChange(change: ConfChange): ConfState {
    return this.raft.applyConfChange(change);
  }

  /**
   * The application has a snapshot of its state at `index` (applied): the next Ready carries it as `compaction`, so
   * that the stored log can drop the entries up to `index`.
   */
  compact(index: number, data: Uint8Array, confState: ConfState): void {
    const log = this.raft.log;
    if (index > log.applied) throw new LogInvariantError(`cannot compact at ${index}: only ${log.applied} is applied`);
    // Entries applied as soon as committed may not be written yet: the snapshot must not cover them.
    if (index > log.lastStableIndex()) throw new LogInvariantError(`cannot compact at ${index}: only ${log.lastStableIndex()} is written`);
    const current = log.snapshot().metadata.index;
    if (index <= current) throw new SnapshotOutOfDateError(index, current);
    this.pendingCompaction = { metadata: { index, term: log.term(index), confState }, data };
  }

  /** The driver's word on a snapshot it was sending to `to`: delivered, or failed (send it again later). */
  reportSnapshot(to: NodeId, delivered: boolean): void {
    this.raft.step(newMessage({ type: 'snapshot-status', from: to, reject: !delivered }));
  }

  /** The driver lost its connection to the leader: see Raft.forgetLeader. */
  forgetLeader(): void {
    this.raft.forgetLeader();
  }

  /** The driver could not reach `to`: stop pipelining to it and probe. */
  reportUnreachable(to: NodeId): void {
    this.raft.step(newMessage({ type: 'unreachable', from: to }));
  }

  hasReady(): boolean {
    const log = this.raft.log;
    return (
      this.raft.msgs.length > 0 ||
      log.unstable.entries.length > 0 ||
      log.unstable.snapshot !== undefined ||
      this.pendingCompaction !== undefined ||
      log.hasCommittedToApply() ||
      !sameSoftState(this.raft.softState(), this.prevSoftState) ||
      !sameHardState(this.raft.hardState(), this.prevHardState)
    );
  }

  ready(): Ready {
    const log = this.raft.log;
    const snapshot = log.unstable.snapshot;
    // A snapshot from the leader supersedes a compaction it covers.
    if (snapshot && this.pendingCompaction && this.pendingCompaction.metadata.index <= snapshot.metadata.index) {
      this.pendingCompaction = undefined;
    }
    const softState = this.raft.softState();
    const hardState = this.raft.hardState();
    const messages = this.raft.msgs;
    this.raft.msgs = [];
    const committed = log.committedToApply();
    log.applying = Math.max(log.applying, committed.at(-1)?.index ?? 0, snapshot?.metadata.index ?? 0);
    return {
      entries: log.unstableEntries(),
      committed,
      messages,
      ...(sameSoftState(softState, this.prevSoftState) ? {} : { softState }),
      ...(sameHardState(hardState, this.prevHardState) ? {} : { hardState }),
      ...(snapshot ? { snapshot } : {}),
      ...(this.pendingCompaction ? { compaction: this.pendingCompaction } : {}),
    };
  }

  /**
   * The messages of `rd` that may be sent before `rd` is persisted: a leader's appends, heartbeats and snapshots,
   * as long as `rd` does not change the term or the vote (thesis §10.2.1: the leader counts itself in the commit
   * quorum only once its write is done, see `advance`). Everything else waits for the write. Call before `advance`.
   */
  sendableBeforePersist(rd: Ready): Message[] {
    if (rd.hardState && !this.termAndVoteWritten(rd.hardState)) return [];
    return rd.messages.filter(isLeaderMessage);
  }

  /**
   * While a Ready's write is under way: the leader's messages made since it was handed out (appends of entries
   * proposed meanwhile, commit updates), which may leave now under the rule of `sendableBeforePersist`; the next
   * Ready does not carry them again. Its own entries count for the leader once a later Ready's write is done.
   */
  takeSendableNow(): Message[] {
    if (!this.termAndVoteWritten(this.raft.hardState())) return [];
    const now: Message[] = [];
    const later: Message[] = [];
    for (const m of this.raft.msgs) (isLeaderMessage(m) ? now : later).push(m);
    this.raft.msgs = later;
    return now;
  }

  /** `hs` has the term and vote of the last hard state handed out and advanced (so written). */
  private termAndVoteWritten(hs: HardState): boolean {
    return hs.term === this.prevHardState.term && hs.vote === this.prevHardState.vote;
  }

  /** The Ready was persisted, sent and applied. A leader now counts its own entries (it may commit: a new Ready). */
  advance(rd: Ready): void {
    const log = this.raft.log;
    if (rd.softState) this.prevSoftState = rd.softState;
    if (rd.hardState) this.prevHardState = rd.hardState;
    // Entries taken with `takeCommitted` meanwhile may have moved the applied mark past this Ready's.
    if (rd.snapshot) {
      log.stableSnapTo(rd.snapshot.metadata.index);
      if (rd.snapshot.metadata.index > log.applied) log.appliedTo(rd.snapshot.metadata.index);
    }
    const lastCommitted = rd.committed[rd.committed.length - 1];
    if (lastCommitted && lastCommitted.index > log.applied) log.appliedTo(lastCommitted.index);
    const lastEntry = rd.entries[rd.entries.length - 1];
    if (lastEntry) {
      log.stableTo(lastEntry.index, lastEntry.term);
      this.raft.persisted(lastEntry.index, lastEntry.term);
    }
    if (rd.compaction && rd.compaction === this.pendingCompaction) this.pendingCompaction = undefined;
  }

  /**
   * Between a Ready and its advance (while its write is under way), the entries committed since it was handed out:
   * the driver applies them at once instead of at the next Ready. They count as applied from now on, so call this
   * only once the outstanding Ready's own committed entries (and snapshot) are applied.
   */
  takeCommitted(): Entry[] {
    const log = this.raft.log;
    const entries = log.committedToApply();
    const last = entries[entries.length - 1];
    if (last) log.appliedTo(last.index);
    return entries;
  }

  status(): Status {
    const r = this.raft;
    const progress = new Map<NodeId, PeerStatus>();
    if (r.role === 'leader') {
      for (const [id, pr] of r.progress) {
        progress.set(id, { match: pr.match, next: pr.next, state: pr.state, recentActive: pr.recentActive });
      }
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      lastStableIndex: r.log.lastStableIndex(),
      leader: r.lead,
      role: r.role,
      leadTransferee: r.leadTransferee,
      progress,
    };
  }

  /** Term of the entry at `index` in this node's log (persisted or not), 0 where unknown. For checks and tests. */
  termAt(index: number): number {
    return this.raft.log.termOrZero(index);
  }

  /** The current voters, as this node knows them. */
  confState(): ConfState {
    return this.raft.confState();
  }
}

/** What only a leader sends, and may send before its own write (thesis §10.2.1). */
function isLeaderMessage(m: Message): boolean {
  return m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot';
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.leader === b.leader && a.role === b.role;
}
