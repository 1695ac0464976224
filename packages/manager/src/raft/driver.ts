import { FailedPreconditionError, UnavailableError, type Cancel, type Clock, type Rand } from '@shoal/api';
import {
  decodeConfChange,
  majority,
  NO_NODE,
  ProposalDroppedError,
  RaftError,
  RawNode,
  type ConfChange,
  type Entry,
  type Message,
  type NodeId,
  type Ready,
  type Snapshot,
  type WritableStorage,
} from './core/index.js';
import { decodeActions, decodeSnapshotData, encodeActions, encodeSnapshotData } from './entry-codec.js';
import { leaderlessError, NoQuorumError, NotLeaderError } from './errors.js';
import { ProposalBatcher } from './proposal-batcher.js';
import { Reachability } from './reachability.js';
import { storageLog, type RaftLog } from './raft-log.js';
import type { RaftTransport } from './transport.js';
import type { Applier, Proposer, StoreAction } from '../store/index.js';

/*
 * The processing loop — one at a time (`kick` starts it unless it runs; a running loop sees every new input), and
 * per turn, until there is nothing left to do:
 *   1. the queued proposals go into the log as one entry batch (while a write is under way, they do at once and
 *      their appends leave: see scheduleEarlyFlush);
 *   2. if the core has a Ready:
 *        send the messages the core allows before the write (a leader's appends and heartbeats)
 *        apply: a leader's snapshot through `restore`, committed entries through the applier (conf entries through
 *               the core's applyConfChange and the transport's peers); each applied proposal resolves
 *        persist it (one awaited write: compaction, snapshot, entries, hard state); entries committed by messages
 *               that arrive meanwhile are applied as they commit
 *        send the other messages (votes, acknowledgements: never before their write)
 *        advance (a leader counts its own entries only now); note a leader change; compact when `snapshotEvery`
 *        entries were applied since the last snapshot.
 * Inputs (ticks, messages, proposals) step the core synchronously and kick the loop.
 */

export interface RaftDriverOptions {
  readonly id: NodeId;
  readonly addr: string;
  /** What the core reads; the driver writes it through `log` (by default, straight into this storage). */
  readonly storage: WritableStorage;
  readonly log?: RaftLog;
  readonly transport: RaftTransport;
  readonly clock: Clock;
  readonly rand: Rand;
  /** Addresses of the other members known at start (a joining member learns them from the join answer). */
  readonly peers?: ReadonlyMap<NodeId, string>;
  readonly tickMs?: number;
  readonly heartbeatTicks?: number;
  readonly electionTicks?: number;
  /** A proposal not applied within this many ticks rejects (default: two election timeouts). */
  readonly proposalTimeoutTicks?: number;
  /** Compact the log with a state-machine snapshot every this many applied entries. */
  readonly snapshotEvery?: number;
  /** A write failed: the log is in doubt, this member no longer takes part (the manager should stop). */
  readonly onFatal?: (err: Error) => void;
  /** The state machine's state, serialized (the store's tables). */
  readonly snapshot: () => Uint8Array;
  /** Replaces the state machine's state with a snapshot's, taken at `index`; an empty `state` is the empty store. */
  readonly restore: (state: Uint8Array, index: number) => void;
}

type LeaderListener = (leader: NodeId, isSelf: boolean) => void;

const DEFAULTS = { tickMs: 100, heartbeatTicks: 1, electionTicks: 10, snapshotEvery: 10_000 } as const;

/** Runs one Raft member: owns the core, the log on disk, the transport and the ticks; it is the store's Proposer. */
export class RaftDriver implements Proposer {
  readonly id: NodeId;
  private readonly node: RawNode;
  private readonly log: RaftLog;
  private readonly transport: RaftTransport;
  private readonly clock: Clock;
  private readonly tickMs: number;
  private readonly electionTicks: number;
  private readonly snapshotEvery: number;
  private readonly proposals: ProposalBatcher;
  private readonly reachability: Reachability;
  private readonly peers = new Map<NodeId, string>();
  private readonly leaderListeners = new Set<LeaderListener>();
  private apply: Applier | undefined;
  private leader: NodeId = NO_NODE;
  private snapshotIndex: number;
  private confPending = false;
  private transfer: { to: NodeId; ticksLeft: number; resolve(): void; reject(err: Error): void } | undefined;
  private cancelTick: Cancel | undefined;
  private ticks = 0;
  /** The last tick at which this node followed a leader it heard from (see reachabilitySettled). */
  private lastFollowed = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;
  /** A Ready's write is under way (its committed entries are applied): what commits meanwhile is applied at once. */
  private writing = false;
  private earlyFlushScheduled = false;
  private stopped = false;
  private failure: Error | undefined;

  constructor(private readonly opts: RaftDriverOptions) {
    this.id = opts.id;
    this.log = opts.log ?? storageLog(opts.storage);
    this.transport = opts.transport;
    this.clock = opts.clock;
    this.tickMs = opts.tickMs ?? DEFAULTS.tickMs;
    this.electionTicks = opts.electionTicks ?? DEFAULTS.electionTicks;
    this.snapshotEvery = opts.snapshotEvery ?? DEFAULTS.snapshotEvery;
    this.proposals = new ProposalBatcher(opts.proposalTimeoutTicks ?? 2 * this.electionTicks, this.tickMs);
    const rand = opts.rand;
    this.node = new RawNode({
      id: opts.id,
      storage: opts.storage,
      electionTicks: this.electionTicks,
      heartbeatTicks: opts.heartbeatTicks ?? DEFAULTS.heartbeatTicks,
      rand: (n) => {
        const b = rand.bytes(4);
        return new DataView(b.buffer, b.byteOffset, 4).getUint32(0) % n;
      },
    });
    this.snapshotIndex = opts.storage.snapshot().metadata.index;
    this.reachability = new Reachability(opts.id, this.electionTicks);
  }

  /**
   * Founds a cluster: the log starts with a snapshot at index 1 naming `members` (this node alone by default) as the
   * voters, so every founding member starts from the same configuration. The storage must be empty.
   */
  static async bootstrap(opts: RaftDriverOptions & { members?: ReadonlyMap<NodeId, string> }): Promise<RaftDriver> {
    if (opts.storage.lastIndex() !== 0) throw new FailedPreconditionError(`raft log of ${opts.id} is not empty: cannot bootstrap`);
    const members = new Map(opts.members ?? [[opts.id, opts.addr]]);
    members.set(opts.id, opts.addr);
    const snapshot: Snapshot = {
      metadata: { index: 1, term: 1, confState: { voters: [...members.keys()] } },
      data: encodeSnapshotData({ peers: members, state: new Uint8Array(0) }),
    };
    await (opts.log ?? storageLog(opts.storage)).save({ snapshot, entries: [] });
    return new RaftDriver(opts);
  }

  /** A new member: it starts with an empty log and learns everything (snapshot, entries, voters) from the leader. */
  static join(opts: RaftDriverOptions): RaftDriver {
    if (opts.storage.lastIndex() !== 0) throw new FailedPreconditionError(`raft log of ${opts.id} is not empty: cannot join`);
    return new RaftDriver(opts);
  }

  setApplier(apply: Applier): void {
    this.apply = apply;
  }

  /** Restores the state machine from the stored snapshot, connects to the peers and starts ticking. */
  async start(): Promise<void> {
    if (!this.apply) throw new RaftError('RaftDriver: no applier set before start');
    const stored = this.opts.storage.snapshot();
    this.installSnapshot(stored, false);
    for (const [id, addr] of this.opts.peers ?? []) this.addPeer(id, addr);
    await this.transport.start({
      deliver: (m) => this.deliver(m),
      onUnreachable: (peer) => {
        if (this.halted) return;
        this.node.reportUnreachable(peer);
        // A broken link to the leader is the first sign of its death: the next candidate need not wait out the lease.
        if (peer === this.node.status().leader && !this.isLeader) this.node.forgetLeader();
        this.kick();
      },
    });
    // A lone voter has nobody to wait for: it leads at once.
    const voters = this.node.confState().voters;
    if (voters.length === 1 && voters[0] === this.id) this.node.campaign();
    this.scheduleTick();
    this.kick();
  }

  /** Stops ticking and the transport; every proposal not applied yet rejects. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTick?.();
    this.failAll(new UnavailableError('raft is stopping'));
    await this.running;
    await this.transport.stop();
  }

  onLeaderChange(cb: LeaderListener): () => void {
    this.leaderListeners.add(cb);
    return () => { this.leaderListeners.delete(cb); };
  }

  get isLeader(): boolean {
    return this.node.status().role === 'leader';
  }

  /** The leader as this node knows it (NO_NODE while an election is under way) and its address. */
  leaderInfo(): { id: NodeId; addr: string } {
    const id = this.node.status().leader;
    return { id, addr: this.addrOf(id) };
  }

  /**
   * Whether members()' reachability can tell a lost quorum. A leader hears from every member; a follower hears only
   * from its leader, so once that leader is gone the other followers are quiet, not lost, until they campaign or
   * answer a campaign — within two election timeouts. Until then a leaderless follower knows no quorum verdict.
   */
  reachabilitySettled(): boolean {
    return this.isLeader || this.ticks - this.lastFollowed >= 2 * this.electionTicks;
  }

  /** The voters, each with its address and whether this node heard from it within an election timeout. */
  members(): Array<{ id: NodeId; addr: string; reachable: boolean }> {
    return this.node.confState().voters.map((id) => ({ id, addr: this.addrOf(id), reachable: this.reachability.isReachable(id) }));
  }

  /** Appends one store transaction to the log; resolves with its index once applied here. */
  propose(actions: readonly StoreAction[]): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const applied = this.proposals.enqueue(encodeActions(actions));
    this.kick();
    if (this.writing) this.scheduleEarlyFlush();
    return applied;
  }

  /** Adds a voter; resolves with the conf entry's index once applied here. One change at a time. */
  addVoter(id: NodeId, addr: string): Promise<number> {
    return this.proposeConfChange({ type: 'add-node', nodeId: id, context: addr });
  }

  /** Removes a voter. A leader cannot remove itself: transfer leadership first, then ask the new leader. */
  removeVoter(id: NodeId): Promise<number> {
    if (id === this.id && this.isLeader) {
      return Promise.reject(new FailedPreconditionError(`${id} is the leader: transfer leadership before removing it`));
    }
    return this.proposeConfChange({ type: 'remove-node', nodeId: id });
  }

  /** Hands leadership to `to`; resolves when `to` leads, rejects if it does not within an election timeout. */
  transferLeadership(to: NodeId): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    if (!this.node.confState().voters.includes(to)) return Promise.reject(new FailedPreconditionError(`${to} is not a voter`));
    if (to === this.id) return Promise.resolve();
    if (this.transfer) return Promise.reject(new UnavailableError(`leadership is being transferred to ${this.transfer.to}`));
    return new Promise((resolve, reject) => {
      // The core abandons a transfer after an election timeout; so does the caller's wait.
      this.transfer = { to, ticksLeft: this.electionTicks, resolve, reject };
      this.node.transferLeadership(to);
      this.kick();
    });
  }

  private proposeConfChange(change: ConfChange): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    if (this.confPending) return Promise.reject(new UnavailableError('a membership change is under way: try again when it is applied'));
    try {
      this.node.proposeConfChange(change);
    } catch (err) {
      return Promise.reject(err instanceof ProposalDroppedError ? new UnavailableError(err.message) : err);
    }
    const { lastIndex, term } = this.node.status();
    this.confPending = true;
    const applied = this.proposals.track(this.ticks, lastIndex, term);
    void applied.then(() => { this.confPending = false; }, () => { this.confPending = false; });
    this.kick();
    return applied;
  }

  /** Why this node cannot take a proposal now, or undefined when it can. */
  private refusal(): Error | undefined {
    if (this.failure) return this.failure;
    if (this.stopped) return new UnavailableError('raft is stopped');
    const { role, leader } = this.node.status();
    const voters = this.node.confState().voters;
    const reachable = this.reachability.count(voters);
    if (role === 'leader') return reachable < majority(voters.length) ? new NoQuorumError(reachable, voters.length) : undefined;
    // A leader heard from recently has a quorum (check-quorum), even if this follower hears no other member.
    if (leader !== NO_NODE && this.reachability.isReachable(leader)) return new NotLeaderError(leader, this.addrOf(leader));
    return leaderlessError(reachable, voters.length, this.reachabilitySettled());
  }

  private get halted(): boolean {
    return this.stopped || this.failure !== undefined;
  }

  private deliver(m: Message): void {
    if (this.halted) return;
    this.reachability.heardFrom(m.from);
    try {
      this.node.step(m);
    } catch (err) {
      // A message the core refuses (a local type from the network) is dropped; it cannot harm the log.
      if (!(err instanceof RaftError)) throw err;
      return;
    }
    if (this.writing) {
      // An acknowledgement that commits entries resolves their proposals now, not after the write under way, and
      // the leader's answers to it (more entries, the new commit index) leave now too.
      for (const entry of this.node.takeCommitted()) this.applyEntry(entry);
      this.transport.send(this.node.takeSendableNow());
    }
    this.kick();
  }

  /**
   * Proposals made while a write is under way are appended and sent to the followers at once (on a microtask, so a
   * burst shares one append): two followers can commit them before this member's own next write (thesis §10.2.1).
   * The loop writes them here once the write under way is done.
   */
  private scheduleEarlyFlush(): void {
    if (this.earlyFlushScheduled) return;
    this.earlyFlushScheduled = true;
    queueMicrotask(() => {
      this.earlyFlushScheduled = false;
      if (this.halted || !this.writing) return;
      this.proposals.flush(this.ticks, (data) => this.appendBatch(data));
      this.transport.send(this.node.takeSendableNow());
    });
  }

  private scheduleTick(): void {
    this.cancelTick = this.clock.setTimeout(() => {
      if (this.halted) return;
      this.ticks++;
      this.node.tick();
      this.reachability.tick();
      const { role, leader } = this.node.status();
      if (role !== 'leader' && leader !== NO_NODE && leader !== this.id && this.reachability.isReachable(leader)) this.lastFollowed = this.ticks;
      this.proposals.expire(this.ticks);
      if (this.transfer && --this.transfer.ticksLeft <= 0) {
        this.transfer.reject(new UnavailableError(`leadership transfer to ${this.transfer.to} did not finish in time`));
        this.transfer = undefined;
      }
      // A leader cut off from its quorum fails what it holds now rather than when check-quorum steps it down.
      if (this.isLeader && this.proposals.size > 0) {
        const refused = this.refusal();
        if (refused) this.proposals.rejectAll(refused);
      }
      this.scheduleTick();
      this.kick();
    }, this.tickMs);
  }

  private kick(): void {
    if (this.halted) return;
    this.running ??= this.loop();
  }

  private async loop(): Promise<void> {
    // The loop starts on a microtask, so proposals made in the same synchronous run share one entry batch.
    await Promise.resolve();
    try {
      while (!this.halted) {
        // Proposals queued while the last write was under way form the next batch.
        this.proposals.flush(this.ticks, (data) => this.appendBatch(data));
        if (!this.node.hasReady()) break;
        const rd = this.node.ready();
        // The leader's appends go out now, so the followers write while this member does (thesis §10.2.1).
        const early = this.node.sendableBeforePersist(rd);
        this.transport.send(early);
        // Committed entries are on a quorum already: applying them now lets their proposers' next proposals join
        // the batch that forms during this write.
        this.applyReady(rd);
        this.writing = true;
        try {
          await this.log.save(rd);
        } finally {
          this.writing = false;
        }
        if (this.halted) return;
        const sent = new Set(early);
        this.transport.send(sent.size === 0 ? rd.messages : rd.messages.filter((m) => !sent.has(m)));
        this.node.advance(rd);
        this.afterAdvance(rd);
      }
    } catch (err) {
      this.fail(err as Error);
    } finally {
      // Cleared in the turn that found nothing to do, so a kick never falls between that check and this.
      this.running = undefined;
    }
  }

  private appendBatch(data: readonly Uint8Array[]): { first: number; term: number } {
    const refused = this.refusal();
    if (refused) throw refused;
    try {
      this.node.proposeAll(data);
    } catch (err) {
      throw err instanceof ProposalDroppedError ? new UnavailableError(err.message) : err;
    }
    const { lastIndex, term } = this.node.status();
    return { first: lastIndex - data.length + 1, term };
  }

  private applyReady(rd: Ready): void {
    if (rd.snapshot) this.installSnapshot(rd.snapshot, true);
    for (const entry of rd.committed) this.applyEntry(entry);
  }

  private applyEntry(entry: Entry): void {
    if (entry.type === 'conf') {
      const change = decodeConfChange(entry.data);
      this.node.applyConfChange(change);
      if (change.type === 'add-node') this.addPeer(change.nodeId, change.context ?? '');
      else this.removePeer(change.nodeId);
    } else if (entry.data.length > 0) {
      // Empty entries are the ones a new leader appends to commit its term; the store never sees them.
      this.apply?.(decodeActions(entry.data, entry.index), entry.index);
    }
    this.proposals.applied(entry.index, entry.term);
  }

  /** A snapshot (stored at start, or the leader's): the members' addresses and the state machine's state. */
  private installSnapshot(snapshot: Snapshot, fromLeader: boolean): void {
    const { index } = snapshot.metadata;
    if (index === 0) return;
    const { peers, state } = decodeSnapshotData(snapshot.data, index);
    for (const id of this.peers.keys()) if (!peers.has(id)) this.removePeer(id);
    for (const [id, addr] of peers) this.addPeer(id, addr);
    // An empty state is the empty store of a cluster's founding snapshot.
    if (state.length > 0 || fromLeader) this.opts.restore(state, index);
    if (fromLeader) this.proposals.rejectUpTo(index, new UnavailableError('leadership was lost before commit'));
    this.snapshotIndex = index;
  }

  private afterAdvance(rd: Ready): void {
    if (rd.softState && rd.softState.leader !== this.leader) {
      const wasLeader = this.leader === this.id;
      this.leader = rd.softState.leader;
      if (wasLeader) this.proposals.rejectAll(this.refusal() ?? new UnavailableError('leadership was lost before commit'));
      if (this.transfer?.to === this.leader) {
        this.transfer.resolve();
        this.transfer = undefined;
      }
      for (const cb of this.leaderListeners) cb(this.leader, this.leader === this.id);
    }
    const { applied, lastStableIndex } = this.node.status();
    // Entries applied as they committed during the write may not be written yet: compact once they are.
    if (applied - this.snapshotIndex >= this.snapshotEvery && applied <= lastStableIndex) {
      const data = encodeSnapshotData({ peers: this.peers, state: this.opts.snapshot() });
      this.node.compact(applied, data, this.node.confState());
      this.snapshotIndex = applied;
    }
  }

  private addPeer(id: NodeId, addr: string): void {
    this.peers.set(id, addr);
    if (id === this.id) return;
    this.reachability.heardFrom(id);
    this.transport.setPeer(id, addr);
  }

  private removePeer(id: NodeId): void {
    this.peers.delete(id);
    if (id === this.id) return;
    this.reachability.forget(id);
    this.transport.removePeer(id);
  }

  private addrOf(id: NodeId): string {
    return this.peers.get(id) ?? '';
  }

  /** A failed write leaves the log in doubt: this member stops taking part, loudly. */
  private fail(err: Error): void {
    this.failure = err;
    this.cancelTick?.();
    this.failAll(err);
    this.opts.onFatal?.(err);
  }

  private failAll(err: Error): void {
    this.proposals.rejectAll(err);
    this.transfer?.reject(err);
    this.transfer = undefined;
  }
}
