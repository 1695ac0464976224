import type { Message, NodeId } from '../../../packages/manager/src/raft/core/index.js';
import type { RaftTransport } from '../../../packages/manager/src/raft/transport.js';

type Handlers = Parameters<RaftTransport['start']>[0];

/**
 * An in-memory network of RaftTransports. Messages are delivered asynchronously (one microtask each, in order per
 * sender) and only to peers the sender's transport knows, as over gRPC; links can be cut, nodes isolated and messages
 * dropped by a filter.
 */
export class MemoryNetwork {
  private readonly endpoints = new Map<NodeId, Handlers>();
  private readonly cutLinks = new Set<string>();
  /** Return true to drop a message. */
  drop: (m: Message) => boolean = () => false;
  /** Every message handed to a transport, delivered or not. */
  readonly sent: Message[] = [];
  readonly peersOf = new Map<NodeId, Map<NodeId, string>>();

  transport(id: NodeId): RaftTransport {
    const peers = new Map<NodeId, string>();
    this.peersOf.set(id, peers);
    return {
      start: async (handlers) => { this.endpoints.set(id, handlers); },
      send: (messages) => {
        for (const m of messages) {
          this.sent.push(m);
          if (!peers.has(m.to) || this.cutLinks.has(`${m.from}>${m.to}`) || this.drop(m)) continue;
          queueMicrotask(() => this.endpoints.get(m.to)?.deliver(m));
        }
      },
      setPeer: (peer, addr) => { peers.set(peer, addr); },
      removePeer: (peer) => { peers.delete(peer); },
      stop: async () => { this.endpoints.delete(id); },
    };
  }

  isolate(id: NodeId): void {
    for (const other of this.peersOf.keys()) if (other !== id) this.cut(id, other);
  }

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}>${b}`).add(`${b}>${a}`);
  }

  heal(): void {
    this.cutLinks.clear();
    this.drop = () => false;
  }
}
