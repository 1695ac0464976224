import {
  decodeConfChange,
  MemoryStorage,
  ProposalDroppedError,
  RawNode,
  type Entry,
  type Message,
  type NodeId,
  type Ready,
  type Snapshot,
} from '../../packages/manager/src/raft/core/index.js';
import { entryKey, SafetyChecker } from './invariants.js';
import { Prng } from './prng.js';

export const ELECTION_TICKS = 10;
const HEARTBEAT_TICKS = 1;
/** The chance that a write under way finishes at a given pass of `settle`. */
const WRITE_DONE_CHANCE = 0.25;

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** A simulated manager: its "disk" survives crashes, the RawNode and the applied state do not. */
export interface SimNode {
  readonly id: NodeId;
  readonly disk: MemoryStorage;
  raft: RawNode | undefined;
  /** The state machine: the key of every applied entry, by index (1-based, index 0 unused). */
  appliedKeys: string[];
  /** A Ready whose write is under way: the node steps messages meanwhile; a crash loses the write. */
  writing: Write | undefined;
}

interface Write {
  readonly rd: Ready;
  /** The messages already sent, before the write. */
  readonly early: ReadonlySet<Message>;
  /** The term before each entry, as the log had it when the write started. */
  readonly prevTerms: readonly number[];
}

interface InFlight {
  readonly msg: Message;
}

export interface NetworkFaults {
  loss: number;
  duplication: number;
  /** Messages are delivered from among the oldest `reorderWindow` in flight. */
  reorderWindow: number;
}

/**
 * A cluster of RawNodes on a simulated network, driven step by step. Each node's Ready is handled in the driver's
 * order: send what may leave before the write, apply, then the write — which may stay under way across steps while
 * the node steps messages, and is lost if the node crashes meanwhile — then send the rest and advance. Every step
 * ends with the safety checks.
 */
export class SimCluster {
  readonly nodes = new Map<NodeId, SimNode>();
  readonly checker = new SafetyChecker();
  private network: InFlight[] = [];
  /** Directed links that drop everything: "a>b" cuts a to b. */
  readonly cut = new Set<string>();
  faults: NetworkFaults = { loss: 0, duplication: 0, reorderWindow: 1 };
  private proposals = 0;
  private readonly appliedCommands = new Set<string>();

  constructor(
    readonly rng: Prng,
    voters: readonly NodeId[],
  ) {
    // Every initial member starts from the same bootstrap snapshot naming the voters.
    const bootstrap = encodeState(['bootstrap']);
    for (const id of voters) {
      const disk = new MemoryStorage({ confState: { voters }, index: 1, term: 1, data: bootstrap });
      this.nodes.set(id, { id, disk, raft: undefined, appliedKeys: [], writing: undefined });
      this.start(id);
    }
    this.checker.applied('bootstrap', 1, 'bootstrap');
  }

  /** A node not in the cluster yet: empty disk, no configuration; it waits for the leader. */
  addSpare(id: NodeId): void {
    if (this.nodes.has(id)) return;
    this.nodes.set(id, { id, disk: new MemoryStorage(), raft: undefined, appliedKeys: [], writing: undefined });
    this.start(id);
  }

  start(id: NodeId): void {
    const node = this.node(id);
    if (node.raft) return;
    node.raft = new RawNode({
      id,
      storage: node.disk,
      electionTicks: ELECTION_TICKS,
      heartbeatTicks: HEARTBEAT_TICKS,
      rand: (n) => this.rng.int(n),
      maxEntriesPerMessage: 4,
      maxInflight: 4,
    });
    // The state machine restarts from the snapshot on disk; the log after it is applied again.
    node.appliedKeys = decodeState(node.disk.snapshot().data);
  }

  crash(id: NodeId): void {
    const node = this.node(id);
    node.raft = undefined;
    node.writing = undefined;
  }

  node(id: NodeId): SimNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  live(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.raft);
  }

  leaders(): SimNode[] {
    return this.live().filter((n) => n.raft?.status().role === 'leader');
  }

  /** The leader of the highest term among the live nodes. */
  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    let bestTerm = -1;
    for (const n of this.leaders()) {
      const term = n.raft?.status().term ?? -1;
      if (term > bestTerm) {
        best = n;
        bestTerm = term;
      }
    }
    return best;
  }

  inFlight(): number {
    return this.network.length;
  }

  // ---- inputs ----

  tick(id: NodeId): void {
    this.node(id).raft?.tick();
  }

  tickAll(): void {
    for (const n of this.live()) n.raft?.tick();
  }

  /** Proposes a fresh command on `id`; returns its data, or undefined if the node refused. */
  propose(id: NodeId): string | undefined {
    const raft = this.node(id).raft;
    if (!raft) return undefined;
    const data = `cmd-${++this.proposals}`;
    try {
      raft.propose(encode(data));
      this.sendNow(this.node(id), raft);
      return data;
    } catch (err) {
      if (err instanceof ProposalDroppedError) return undefined;
      throw err;
    }
  }

  tryInput(action: (raft: RawNode) => void, id: NodeId): void {
    const raft = this.node(id).raft;
    if (!raft) return;
    try {
      action(raft);
    } catch (err) {
      if (!(err instanceof ProposalDroppedError)) throw err;
    }
  }

  /** Delivers one message from the oldest few in flight; false if none is in flight. */
  deliverOne(): boolean {
    if (this.network.length === 0) return false;
    const at = this.rng.int(Math.min(this.faults.reorderWindow, this.network.length));
    const [flight] = this.network.splice(at, 1);
    if (!flight) return false;
    const { msg } = flight;
    const node = this.nodes.get(msg.to);
    const target = node?.raft;
    if (!node || !target || this.cut.has(`${msg.from}>${msg.to}`)) {
      this.dropped(msg);
      return true;
    }
    target.step(msg);
    // As the driver: what commits while a write is under way is applied at once, and the leader's answers leave.
    if (node.writing) {
      for (const e of target.takeCommitted()) this.applyEntry(node, target, e);
      this.sendNow(node, target);
    }
    return true;
  }

  /** As the driver: while a write is under way, the leader's new appends leave at once. */
  private sendNow(node: SimNode, raft: RawNode): void {
    if (node.writing) for (const m of raft.takeSendableNow()) this.send(m);
  }

  private dropped(msg: Message): void {
    // The driver learns that a snapshot stream failed, and says so, so the leader sends it again later.
    if (msg.type === 'snapshot') this.nodes.get(msg.from)?.raft?.reportSnapshot(msg.to, false);
  }

  private send(msg: Message): void {
    if (this.rng.chance(this.faults.loss)) {
      this.dropped(msg);
      return;
    }
    this.network.push({ msg });
    if (this.rng.chance(this.faults.duplication)) this.network.push({ msg });
  }

  /** The application snapshots its state at its applied index. */
  compact(id: NodeId): void {
    const node = this.node(id);
    const raft = node.raft;
    // As the driver, which compacts only after a Ready's advance: never while a write (maybe a compaction) is under way.
    if (!raft || node.writing) return;
    const { applied, lastStableIndex } = raft.status();
    if (applied <= node.disk.snapshot().metadata.index || applied > lastStableIndex) return;
    raft.compact(applied, encodeState(node.appliedKeys.slice(1, applied + 1)), raft.confState());
  }

  // ---- the driver loop and the checks ----

  /** Starts the write of every pending Ready and finishes some of the writes under way, then checks safety. */
  settle(): void {
    let busy = true;
    while (busy) {
      busy = false;
      for (const node of this.live()) {
        const raft = node.raft;
        if (!raft) continue;
        if (node.writing) {
          // Some writes outlast this step: messages delivered meanwhile are stepped while it is under way.
          if (!this.rng.chance(WRITE_DONE_CHANCE)) continue;
          this.finishWrite(node, raft, node.writing);
          busy = true;
        } else if (raft.hasReady()) {
          this.startWrite(node, raft, raft.ready());
          busy = true;
        }
      }
    }
    this.check();
  }

  private startWrite(node: SimNode, raft: RawNode, rd: Ready): void {
    // 1. send what the core allows before the write
    const early = new Set(raft.sendableBeforePersist(rd));
    for (const m of early) this.send(m);
    node.writing = { rd, early, prevTerms: rd.entries.map((e) => raft.termAt(e.index - 1)) };
    // 2. apply: committed entries are on a quorum already
    this.apply(node, raft, rd);
  }

  private finishWrite(node: SimNode, raft: RawNode, { rd, early, prevTerms }: Write): void {
    node.writing = undefined;
    // 3. persist
    if (rd.compaction) node.disk.compact(rd.compaction);
    if (rd.snapshot) node.disk.applySnapshot(rd.snapshot);
    node.disk.append(rd.entries);
    if (rd.hardState) node.disk.setHardState(rd.hardState);
    rd.entries.forEach((e, i) => this.checker.persisted(node.id, e, prevTerms[i] ?? 0));
    // 4. send the rest
    for (const m of rd.messages) if (!early.has(m)) this.send(m);
    // 5. advance
    raft.advance(rd);
  }

  private apply(node: SimNode, raft: RawNode, rd: Ready): void {
    if (rd.snapshot) this.restoreState(node, rd.snapshot);
    for (const e of rd.committed) this.applyEntry(node, raft, e);
  }

  private applyEntry(node: SimNode, raft: RawNode, e: Entry): void {
    if (e.index !== node.appliedKeys.length) {
      throw new Error(`${node.id} applies ${e.index} after ${node.appliedKeys.length - 1}`);
    }
    const key = entryKey(e);
    this.checker.applied(node.id, e.index, key);
    node.appliedKeys.push(key);
    if (e.type === 'normal') this.appliedCommands.add(decode(e.data));
    if (e.type === 'conf') raft.applyConfChange(decodeConfChange(e.data));
  }

  private restoreState(node: SimNode, snapshot: Snapshot): void {
    const keys = decodeState(snapshot.data);
    keys.forEach((key, i) => {
      if (i > 0) this.checker.applied(node.id, i, key);
    });
    node.appliedKeys = keys;
  }

  private check(): void {
    for (const node of this.live()) {
      const raft = node.raft;
      if (!raft) continue;
      const s = raft.status();
      this.checker.commitObserved(s.commit, (i) => raft.termAt(i), s.term);
    }
    for (const node of this.leaders()) {
      const raft = node.raft;
      if (!raft) continue;
      const s = raft.status();
      this.checker.leader(node.id, s.term);
      this.checker.leaderHolds(node.id, s.term, s.lastIndex, (i) => raft.termAt(i));
    }
  }

  /** True once a node applied the command `data`. */
  applied(data: string): boolean {
    return this.appliedCommands.has(data);
  }
}

/** Snapshot data: the keys of the applied entries 1..n, so a restored node can be checked entry by entry. */
function encodeState(keys: readonly string[]): Uint8Array {
  return encode(JSON.stringify(keys));
}

/** Index 0 is a placeholder so that appliedKeys[i] is the entry at index i. */
function decodeState(data: Uint8Array): string[] {
  if (data.length === 0) return [''];
  const keys: unknown = JSON.parse(decode(data));
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new Error('bad snapshot data');
  return ['', ...keys];
}
