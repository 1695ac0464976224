import type { ConfChange } from './conf-change.js';
import { CompactedError, IllegalTransitionError, InvalidConfigError, ProposalDroppedError } from './errors.js';
import { RaftLog } from './log.js';
import {
  isEmptyHardState,
  newMessage,
  NO_NODE,
  TRANSFER_CONTEXT,
  voteResponseType,
  type ConfState,
  type Entry,
  type EntryType,
  type HardState,
  type Message,
  type NodeId,
  type Role,
  type Snapshot,
  type SoftState,
} from './messages.js';
import { Progress } from './progress.js';
import { committedIndex, majority, voteResult, type VoteResult } from './quorum.js';
import type { Storage } from './storage.js';

export interface RaftConfig {
  readonly id: NodeId;
  readonly storage: Storage;
  /** A follower campaigns after a random number of ticks in [electionTicks, 2 * electionTicks) without a leader. */
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  /** An integer in [0, n): the only source of randomness. */
  readonly rand: (n: number) => number;
  /** The last index the application has applied (on restart); defaults to the snapshot's index. */
  readonly applied?: number;
  /** A leader steps down without a quorum; a follower that hears from its leader ignores vote requests. */
  readonly checkQuorum?: boolean;
  /** A node asks whether it could win before bumping its term, so a returning partitioned node cannot disrupt. */
  readonly preVote?: boolean;
  readonly maxEntriesPerMessage?: number;
  /** Append messages in flight per follower in replicate state. */
  readonly maxInflight?: number;
}

type MessageFields = Partial<Message> & Pick<Message, 'type' | 'to'>;

const EMPTY_DATA = new Uint8Array(0);

/**
 * One Raft participant as a pure state machine: `step` and `tick` change state and queue messages in `msgs`; the
 * RawNode turns that into Ready batches. The current role's behaviour is the swapped `stepRole` / `tickRole` pair.
 */
export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NO_NODE;
  lead: NodeId = NO_NODE;
  role: Role = 'follower';
  readonly log: RaftLog;
  /** One entry per voter (this node included while it is a voter): the cluster configuration. */
  readonly progress = new Map<NodeId, Progress>();
  msgs: Message[] = [];
  leadTransferee: NodeId = NO_NODE;
  /** A leader proposes no membership change until the last one (at this index) is applied. */
  pendingConfIndex = 0;
  electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private readonly votes = new Map<NodeId, boolean>();
  private readonly electionTicks: number;
  private readonly heartbeatTicks: number;
  private readonly rand: (n: number) => number;
  private readonly checkQuorum: boolean;
  private readonly preVote: boolean;
  private readonly maxEntriesPerMessage: number;
  private readonly maxInflight: number;
  private stepRole: (m: Message) => void = (m) => this.stepFollower(m);
  private tickRole: () => void = () => this.tickElection();

  constructor(config: RaftConfig) {
    if (config.id === NO_NODE) throw new InvalidConfigError('node id must not be empty');
    if (!(config.heartbeatTicks > 0)) throw new InvalidConfigError('heartbeatTicks must be positive');
    if (!(config.electionTicks > config.heartbeatTicks)) throw new InvalidConfigError('electionTicks must exceed heartbeatTicks');
    this.id = config.id;
    this.electionTicks = config.electionTicks;
    this.heartbeatTicks = config.heartbeatTicks;
    this.rand = config.rand;
    this.checkQuorum = config.checkQuorum ?? true;
    this.preVote = config.preVote ?? true;
    this.maxEntriesPerMessage = config.maxEntriesPerMessage ?? 64;
    this.maxInflight = config.maxInflight ?? 256;
    if (!(this.maxEntriesPerMessage > 0) || !(this.maxInflight > 0)) throw new InvalidConfigError('message limits must be positive');

    this.log = new RaftLog(config.storage);
    const { hardState, confState } = config.storage.initialState();
    this.setVoters(confState.voters);
    if (!isEmptyHardState(hardState)) this.loadState(hardState);
    if (config.applied !== undefined) this.log.appliedTo(config.applied);
    this.becomeFollower(this.term, NO_NODE);
  }

  private loadState(hs: HardState): void {
    this.log.commitTo(Math.max(hs.commit, this.log.committed));
    this.term = hs.term;
    this.vote = hs.vote;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { leader: this.lead, role: this.role };
  }

  voters(): NodeId[] {
    return [...this.progress.keys()];
  }

  confState(): ConfState {
    return { voters: this.voters() };
  }

  /** Only a voter may campaign: a removed or not yet added node waits to be told. */
  promotable(): boolean {
    return this.progress.has(this.id);
  }

  tick(): void {
    this.tickRole();
  }

  // ---- role transitions ----

  /**
   * A follower told that its leader is gone (its connection broke) stops counting on it: the lease ends, so it
   * answers the first candidate's (pre-)vote instead of ignoring it for the rest of an election timeout, and its own
   * election comes within half an election timeout, at a random tick (two followers that both lost the leader rarely
   * collide). Only timers change, never safety: the pre-vote still needs a quorum that has no leader either, so a
   * follower cut off alone from a live leader disturbs nobody. A live leader's next message restores it.
   */
  forgetLeader(): void {
    if (this.role !== 'follower' || this.lead === NO_NODE) return;
    this.lead = NO_NODE;
    const soon = this.electionElapsed + 1 + this.rand(Math.max(1, Math.floor(this.electionTicks / 2)));
    this.randomizedElectionTimeout = Math.min(this.randomizedElectionTimeout, soon);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.stepRole = (m) => this.stepFollower(m);
    this.tickRole = () => this.tickElection();
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  private becomePreCandidate(): void {
    if (this.role === 'leader') throw new IllegalTransitionError(this.role, 'pre-candidate');
    // Neither the term nor the vote changes: a pre-election that fails leaves no trace.
    this.stepRole = (m) => this.stepCandidate(m);
    this.tickRole = () => this.tickElection();
    this.votes.clear();
    this.lead = NO_NODE;
    this.role = 'pre-candidate';
  }

  private becomeCandidate(): void {
    if (this.role === 'leader') throw new IllegalTransitionError(this.role, 'candidate');
    this.stepRole = (m) => this.stepCandidate(m);
    this.tickRole = () => this.tickElection();
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  private becomeLeader(): void {
    if (this.role !== 'candidate') throw new IllegalTransitionError(this.role, 'leader');
    this.stepRole = (m) => this.stepLeader(m);
    this.tickRole = () => this.tickHeartbeat();
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    this.progress.get(this.id)?.becomeReplicate();
    // Entries up to here may hold a membership change not yet applied: none may be proposed before it is.
    this.pendingConfIndex = this.log.lastIndex();
    // §5.4.2 / §8: an entry of the new term lets the leader commit everything before it.
    this.appendEntries([{ type: 'normal', data: EMPTY_DATA }]);
  }

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NO_NODE;
    }
    this.lead = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTicks + this.rand(this.electionTicks);
    this.leadTransferee = NO_NODE;
    this.votes.clear();
    const last = this.log.lastIndex();
    for (const id of this.voters()) {
      const pr = new Progress(last + 1, this.maxInflight);
      // This node holds on disk only what is not still waiting in a Ready's write.
      if (id === this.id) pr.match = this.log.lastStableIndex();
      this.progress.set(id, pr);
    }
    this.pendingConfIndex = 0;
  }

  // ---- ticks ----

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(newMessage({ type: 'hup', from: this.id }));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTicks) {
      this.electionElapsed = 0;
      if (this.checkQuorum) this.step(newMessage({ type: 'check-quorum', from: this.id }));
      // A transfer that did not finish within an election timeout is abandoned so proposals flow again.
      if (this.role === 'leader') this.leadTransferee = NO_NODE;
    }
    if (this.role !== 'leader') return;
    if (this.heartbeatElapsed >= this.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.step(newMessage({ type: 'beat', from: this.id }));
    }
  }

  // ---- the one entry point ----

  step(m: Message): void {
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'pre-vote') {
        const force = m.context === TRANSFER_CONTEXT;
        const inLease = this.checkQuorum && this.lead !== NO_NODE && this.electionElapsed < this.electionTicks;
        // §4.2.3 of the thesis: while a leader is heard from, a vote request is a disruption, not an election.
        if (!force && inLease) return;
      }
      if (m.type === 'pre-vote') {
        // A pre-vote never changes our term.
      } else if (m.type === 'pre-vote-response' && !m.reject) {
        // The term is bumped only once the pre-election is won.
      } else if (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NO_NODE);
      }
    } else if (m.term > 0 && m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'append' || m.type === 'heartbeat')) {
        // A stale leader (or one cut off, whose term we passed through pre-vote-less elections) learns our term.
        this.send({ type: 'append-response', to: m.from });
      } else if (m.type === 'pre-vote') {
        this.send({ type: 'pre-vote-response', to: m.from, reject: true });
      }
      return;
    }

    switch (m.type) {
      case 'hup':
        this.hup(m.context === TRANSFER_CONTEXT);
        return;
      case 'vote':
      case 'pre-vote':
        this.handleVoteRequest(m);
        return;
      default:
        this.stepRole(m);
    }
  }

  // ---- elections (§5.2) ----

  private hup(transfer: boolean): void {
    if (this.role === 'leader' || !this.promotable()) return;
    // With a membership change committed but not applied, our configuration may be stale: let others lead.
    if (this.log.nextCommittedEntries().some((e) => e.type === 'conf')) return;
    if (this.preVote && !transfer) this.campaign('pre-vote', false);
    else this.campaign('vote', transfer);
  }

  private campaign(kind: 'pre-vote' | 'vote', transfer: boolean): void {
    let term: number;
    if (kind === 'pre-vote') {
      this.becomePreCandidate();
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      term = this.term;
    }
    if (this.poll(this.id, true) === 'won') {
      this.wonElection(kind);
      return;
    }
    const index = this.log.lastIndex();
    const logTerm = this.log.lastTerm();
    for (const id of this.voters()) {
      if (id === this.id) continue;
      this.send({ type: kind, to: id, term, index, logTerm, context: transfer ? TRANSFER_CONTEXT : '' });
    }
  }

  private wonElection(kind: 'pre-vote' | 'vote'): void {
    if (kind === 'pre-vote') {
      this.campaign('vote', false);
    } else {
      this.becomeLeader();
      this.bcastAppend();
    }
  }

  private poll(from: NodeId, granted: boolean): VoteResult {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    return voteResult(this.voters(), this.votes);
  }

  private handleVoteRequest(m: Message): void {
    const type = m.type === 'vote' ? 'vote' : 'pre-vote';
    const canVote =
      this.vote === m.from ||
      (this.vote === NO_NODE && this.lead === NO_NODE) ||
      (type === 'pre-vote' && m.term > this.term);
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      // A granted answer carries the candidate's term, which a pre-candidate has not adopted yet.
      this.send({ type: voteResponseType(type), to: m.from, term: m.term });
      if (type === 'vote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: voteResponseType(type), to: m.from, reject: true });
    }
  }

  // ---- role step functions ----

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'prop':
        throw new ProposalDroppedError(this.lead === NO_NODE ? 'no leader' : `not the leader (the leader is ${this.lead})`);
      case 'append':
        this.heardFromLeader(m.from);
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.heardFromLeader(m.from);
        this.handleHeartbeat(m);
        return;
      case 'snapshot':
        this.heardFromLeader(m.from);
        this.handleSnapshot(m);
        return;
      case 'timeout-now':
        // The leader hands over: campaign at once, skipping pre-vote and breaking the others' lease.
        this.hup(true);
        return;
      default:
        return;
    }
  }

  private heardFromLeader(from: NodeId): void {
    this.electionElapsed = 0;
    this.lead = from;
  }

  private stepCandidate(m: Message): void {
    const ownResponse = this.role === 'pre-candidate' ? 'pre-vote-response' : 'vote-response';
    switch (m.type) {
      case 'prop':
        throw new ProposalDroppedError('no leader (election in progress)');
      case 'append':
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case 'snapshot':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case ownResponse: {
        const result = this.poll(m.from, !m.reject);
        if (result === 'won') this.wonElection(this.role === 'pre-candidate' ? 'pre-vote' : 'vote');
        else if (result === 'lost') this.becomeFollower(this.term, NO_NODE);
        return;
      }
      default:
        return;
    }
  }

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'beat':
        this.bcastHeartbeat();
        return;
      case 'check-quorum':
        if (!this.quorumActive()) {
          this.becomeFollower(this.term, NO_NODE);
          return;
        }
        for (const [id, pr] of this.progress) if (id !== this.id) pr.recentActive = false;
        return;
      case 'prop':
        this.propose(m.entries);
        return;
      case 'transfer-leader':
        this.handleTransferLeader(m.from);
        return;
      default:
        break;
    }

    const pr = this.progress.get(m.from);
    if (!pr) return;
    switch (m.type) {
      case 'append-response':
        pr.recentActive = true;
        this.handleAppendResponse(m, pr);
        return;
      case 'heartbeat-response':
        pr.recentActive = true;
        pr.probeSent = false;
        // The follower's commit reached the snapshot: it was installed even if its append answer was lost.
        if (pr.state === 'snapshot' && m.commit >= pr.pendingSnapshot) pr.becomeProbe();
        if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirst();
        if (pr.match < this.log.lastIndex()) this.sendAppend(m.from);
        return;
      case 'snapshot-status':
        if (pr.state !== 'snapshot') return;
        if (m.reject) pr.pendingSnapshot = 0;
        pr.becomeProbe();
        // Wait for the next heartbeat answer before sending again.
        pr.probeSent = true;
        return;
      case 'unreachable':
        if (pr.state === 'replicate') pr.becomeProbe();
        return;
      default:
        return;
    }
  }

  // ---- replication (§5.3) ----

  private propose(entries: readonly Entry[]): void {
    if (!this.progress.has(this.id)) throw new ProposalDroppedError('this node was removed from the cluster');
    if (this.leadTransferee !== NO_NODE) {
      throw new ProposalDroppedError(`leadership is being transferred to ${this.leadTransferee}`);
    }
    const first = this.log.lastIndex() + 1;
    entries.forEach((e, i) => {
      if (e.type !== 'conf') return;
      if (this.pendingConfIndex > this.log.applied) {
        throw new ProposalDroppedError('a membership change is still pending');
      }
      this.pendingConfIndex = first + i;
    });
    this.appendEntries(entries);
    this.bcastAppend();
  }

  /**
   * The leader counts itself for these entries only once they are on its disk (`persisted`): the driver may send them
   * to the followers while its own write is under way (thesis §10.2.1).
   */
  private appendEntries(entries: readonly { type: EntryType; data: Uint8Array }[]): void {
    const last = this.log.lastIndex();
    this.log.append(entries.map((e, i) => ({ term: this.term, index: last + 1 + i, type: e.type, data: e.data })));
  }

  /** The entries up to `index` of `term` are on this node's disk: a leader acknowledges them for itself. */
  persisted(index: number, term: number): void {
    if (this.role !== 'leader' || this.log.termOrZero(index) !== term) return;
    const self = this.progress.get(this.id);
    if (!self?.maybeUpdate(Math.min(index, this.log.lastStableIndex()))) return;
    if (this.maybeCommit()) this.bcastAppend();
  }

  private maybeCommit(): boolean {
    const index = committedIndex(this.voters(), (id) => this.progress.get(id)?.match ?? 0);
    return this.log.maybeCommit(index, this.term);
  }

  private bcastAppend(): void {
    for (const id of this.voters()) if (id !== this.id) this.sendAppend(id);
  }

  private bcastHeartbeat(): void {
    for (const [id, pr] of this.progress) {
      if (id === this.id) continue;
      // Never past what the follower is known to hold: it could not check those entries.
      this.send({ type: 'heartbeat', to: id, commit: Math.min(pr.match, this.log.committed) });
    }
  }

  /** Sends the next entries (or a snapshot) to `to`; false if nothing was sent. */
  private sendAppend(to: NodeId, sendIfEmpty = true): boolean {
    const pr = this.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    let prevTerm: number;
    let entries: Entry[];
    try {
      prevTerm = this.log.term(prevIndex);
      entries = this.log.entries(pr.next, this.maxEntriesPerMessage);
    } catch (err) {
      if (err instanceof CompactedError) return this.sendSnapshot(to, pr);
      throw err;
    }
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({ type: 'append', to, index: prevIndex, logTerm: prevTerm, entries, commit: this.log.committed });
    const last = entries[entries.length - 1];
    if (last) pr.sentEntries(last.index);
    else if (pr.state === 'probe') pr.probeSent = true;
    return true;
  }

  /** §7: the entries the follower needs are compacted away; it gets the snapshot instead. */
  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    // Only to a follower known to be alive: a snapshot is large.
    if (!pr.recentActive) return false;
    const snapshot = this.log.snapshot();
    this.send({ type: 'snapshot', to, snapshot });
    pr.becomeSnapshot(snapshot.metadata.index);
    return true;
  }

  private handleAppendResponse(m: Message, pr: Progress): void {
    if (m.reject) {
      let nextProbe = m.rejectHint;
      // Skip every entry of the follower's conflicting term at once.
      if (m.logTerm > 0) nextProbe = this.log.findConflictByTerm(m.rejectHint, m.logTerm).index;
      if (pr.maybeDecrTo(m.index, nextProbe)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.sendAppend(m.from);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index)) return;
    if (pr.state === 'probe') {
      pr.becomeReplicate();
    } else if (pr.state === 'snapshot' && pr.match + 1 >= this.log.firstIndex()) {
      // The snapshot was installed and the log continues from it: resume pipelining.
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') {
      pr.inflights.freeLE(m.index);
    }
    if (this.maybeCommit()) {
      this.bcastAppend();
    } else if (wasPaused) {
      this.sendAppend(m.from);
    }
    while (this.sendAppend(m.from, false)) {
      // Fill the inflight window.
    }
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) {
      this.send({ type: 'timeout-now', to: m.from });
    }
  }

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      this.send({ type: 'append-response', to: m.from, index: this.log.committed });
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      this.send({ type: 'append-response', to: m.from, index: lastNew });
      return;
    }
    // Tell the leader the last index at or below m.index whose term is <= m.logTerm: nothing above can match.
    const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.send({ type: 'append-response', to: m.from, index: m.index, reject: true, rejectHint: hint.index, logTerm: hint.term });
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(m.commit);
    this.send({ type: 'heartbeat-response', to: m.from, commit: this.log.committed });
  }

  private handleSnapshot(m: Message): void {
    if (!m.snapshot) return;
    const index = this.restore(m.snapshot) ? this.log.lastIndex() : this.log.committed;
    this.send({ type: 'append-response', to: m.from, index });
  }

  /** Installs a snapshot from the leader; false if it brings nothing new. */
  private restore(snapshot: Snapshot): boolean {
    const { index, term, confState } = snapshot.metadata;
    if (index <= this.log.committed) return false;
    if (this.log.matchTerm(index, term)) {
      // Our log already has the snapshot's last entry: only the commit mark moves.
      this.log.commitTo(index);
      return false;
    }
    this.log.restore(snapshot);
    this.setVoters(confState.voters);
    return true;
  }

  // ---- leader transfer (thesis §3.10) ----

  private handleTransferLeader(transferee: NodeId): void {
    if (!this.progress.has(transferee) || transferee === this.id) return;
    if (this.leadTransferee === transferee) return;
    this.leadTransferee = transferee;
    // The transfer must finish within an election timeout, counted from now.
    this.electionElapsed = 0;
    const pr = this.progress.get(transferee);
    if (pr?.match === this.log.lastIndex()) this.send({ type: 'timeout-now', to: transferee });
    else this.sendAppend(transferee);
  }

  // ---- membership (§6, single-server changes) ----

  applyConfChange(change: ConfChange): ConfState {
    if (change.type === 'add-node') {
      if (!this.progress.has(change.nodeId)) {
        const pr = new Progress(this.log.lastIndex() + 1, this.maxInflight);
        // A new member may need a snapshot right away; treat it as alive until check-quorum says otherwise.
        pr.recentActive = true;
        this.progress.set(change.nodeId, pr);
      }
    } else {
      this.progress.delete(change.nodeId);
      if (this.leadTransferee === change.nodeId) this.leadTransferee = NO_NODE;
    }
    if (this.role === 'leader') {
      if (!this.progress.has(this.id)) {
        // A removed leader steps down; the remaining voters elect a leader among themselves.
        this.becomeFollower(this.term, NO_NODE);
      } else if (this.maybeCommit()) {
        this.bcastAppend();
      } else {
        for (const id of this.voters()) if (id !== this.id) this.sendAppend(id, false);
      }
    }
    return this.confState();
  }

  private setVoters(voters: readonly NodeId[]): void {
    this.progress.clear();
    const last = this.log.lastIndex();
    for (const id of voters) this.progress.set(id, new Progress(last + 1, this.maxInflight));
  }

  private quorumActive(): boolean {
    const voters = this.voters();
    const active = voters.filter((id) => id === this.id || this.progress.get(id)?.recentActive).length;
    return active >= majority(voters.length);
  }

  private send(fields: MessageFields): void {
    this.msgs.push(newMessage({ from: this.id, term: this.term, ...fields }));
  }
}
