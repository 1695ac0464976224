import {
  decodeConfChange,
  MemoryStorage,
  RawNode,
  type Entry,
  type Message,
  type NodeId,
  type RaftConfig,
  type Status,
} from '../../../packages/manager/src/raft/core/index.js';

export const ELECTION = 10;

export interface TestNode {
  readonly id: NodeId;
  readonly storage: MemoryStorage;
  readonly raft: RawNode;
  readonly applied: Entry[];
  /** Data of the snapshot the state machine was last restored from. */
  restoredFrom?: string;
}

type Options = Partial<Pick<RaftConfig, 'preVote' | 'checkQuorum' | 'maxEntriesPerMessage'>>;

/**
 * A synchronous network for story-like tests: messages are delivered in order until none is left; links can be cut,
 * nodes isolated, and messages filtered. Each Ready is handled as a driver must: persist, send, apply, advance.
 */
export class Network {
  readonly nodes = new Map<NodeId, TestNode>();
  private readonly cutLinks = new Set<string>();
  /** Return false to drop a message. */
  filter: (m: Message) => boolean = () => true;
  /** Every message sent, in order, for assertions. */
  readonly sent: Message[] = [];
  private queue: Message[] = [];

  constructor(voters: readonly NodeId[], private readonly options: Options = {}) {
    for (const id of voters) {
      this.add(id, new MemoryStorage({ confState: { voters }, index: 1, term: 1, data: new TextEncoder().encode('boot') }));
    }
  }

  /** Adds a node over the given storage; `timeoutOffset` picks its randomized election timeout (0 = the shortest). */
  add(id: NodeId, storage: MemoryStorage, timeoutOffset?: number): TestNode {
    // By default n1 times out first, n2 next, and so on, so stories are deterministic.
    const offset = timeoutOffset ?? Math.min(ELECTION - 1, (this.nodes.size * 3) % ELECTION);
    const raft = new RawNode({ id, storage, electionTicks: ELECTION, heartbeatTicks: 1, rand: () => offset, ...this.options });
    const node: TestNode = { id, storage, raft, applied: [] };
    this.nodes.set(id, node);
    return node;
  }

  node(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  status(id: NodeId): Status {
    return this.node(id).raft.status();
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) if (other !== id) this.cut(id, other);
  }

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}>${b}`).add(`${b}>${a}`);
  }

  recover(): void {
    this.cutLinks.clear();
    this.filter = () => true;
  }

  /** Handles Readys and delivers messages until the network is quiet. */
  settle(): void {
    for (let rounds = 0; rounds < 10_000; rounds++) {
      let busy = false;
      for (const node of this.nodes.values()) {
        if (node.raft.hasReady()) {
          this.handleReady(node);
          busy = true;
        }
      }
      const m = this.queue.shift();
      if (m) {
        busy = true;
        const to = this.nodes.get(m.to);
        if (to && !this.cutLinks.has(`${m.from}>${m.to}`) && this.filter(m)) to.raft.step(m);
      }
      if (!busy) return;
    }
    throw new Error('network did not settle');
  }

  private handleReady(node: TestNode): void {
    const rd = node.raft.ready();
    if (rd.compaction) node.storage.compact(rd.compaction);
    if (rd.snapshot) node.storage.applySnapshot(rd.snapshot);
    node.storage.append(rd.entries);
    if (rd.hardState) node.storage.setHardState(rd.hardState);
    this.sent.push(...rd.messages);
    this.queue.push(...rd.messages);
    if (rd.snapshot) {
      node.applied.length = 0;
      node.restoredFrom = new TextDecoder().decode(rd.snapshot.data);
    }
    for (const e of rd.committed) {
      node.applied.push(e);
      if (e.type === 'conf') node.raft.applyConfChange(decodeConfChange(e.data));
    }
    node.raft.advance(rd);
  }

  tick(id: NodeId, times = 1): void {
    for (let i = 0; i < times; i++) {
      this.node(id).raft.tick();
      this.settle();
    }
  }

  tickAll(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const n of this.nodes.values()) n.raft.tick();
      this.settle();
    }
  }

  campaign(id: NodeId): void {
    this.node(id).raft.campaign();
    this.settle();
  }

  propose(id: NodeId, data: string): void {
    this.node(id).raft.propose(new TextEncoder().encode(data));
    this.settle();
  }

  /** The commands a node applied, in order. */
  commands(id: NodeId): string[] {
    return this.node(id)
      .applied.filter((e) => e.type === 'normal' && e.data.length > 0)
      .map((e) => new TextDecoder().decode(e.data));
  }

  leaders(): NodeId[] {
    return [...this.nodes.values()].filter((n) => n.raft.status().role === 'leader').map((n) => n.id);
  }
}

export const entriesOfTerms = (from: number, terms: readonly number[]): Entry[] =>
  terms.map((term, i) => ({ index: from + i, term, type: 'normal', data: new TextEncoder().encode(`t${term}@${from + i}`) }));
