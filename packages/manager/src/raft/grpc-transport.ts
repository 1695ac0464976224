// Raft between managers over gRPC: one outbound client stream per peer, and the Raft service on the cluster port.
import { addRaftService, type GrpcServer, type Logger } from '@shoal/api';
import { isLocalMessage, type Message, type NodeId } from './core/index.js';
import type { RaftTransport } from './transport.js';
import { PeerLink, type LinkContext, type LinkLimits, type PeerMessage } from './peer-link.js';
import { RaftService } from './raft-service.js';

export interface GrpcRaftTransportOptions {
  /** This manager's node id: the `from` of what it sends, the `to` of what it accepts. */
  readonly id: NodeId;
  readonly clusterId: string;
  readonly logger: Logger;
  readonly limits?: Partial<LinkLimits>;
  /** How long stop() lets each outbound stream finish writing before cutting it. */
  readonly stopGraceMs?: number;
}

const DEFAULT_LINK_LIMITS: LinkLimits = {
  maxQueue: 4096,
  maxBatch: 512,
  maxBatchBytes: 4 * 1024 * 1024,
  backoffInitialMs: 100,
  backoffMaxMs: 2_000,
};

type Handlers = Parameters<RaftTransport['start']>[0];

export class GrpcRaftTransport implements RaftTransport {
  /** Every member but this manager, by id; a link dials its peer on the first message. */
  private readonly links = new Map<NodeId, PeerLink>();
  /** Links of removed members, finishing their last writes. */
  private readonly closing = new Set<Promise<void>>();
  private handlers: Handlers | undefined;
  private stopped = false;
  private readonly linkContext: LinkContext;
  private readonly service: RaftService;

  constructor(private readonly opts: GrpcRaftTransportOptions) {
    this.linkContext = {
      clusterId: opts.clusterId,
      self: opts.id,
      limits: { ...DEFAULT_LINK_LIMITS, ...opts.limits },
      logger: opts.logger,
      unreachable: (peer) => this.unreachable(peer),
    };
    this.service = new RaftService({
      clusterId: opts.clusterId,
      self: opts.id,
      logger: opts.logger,
      isMember: (id) => this.links.has(id),
      deliverer: () => this.handlers && this.deliverInbound,
    });
  }

  /** Adds the Raft service to the cluster port's server (before it is bound). */
  register(server: GrpcServer): void {
    addRaftService(server, this.service.handlers());
  }

  /** What arrives from a peer shows it is up: our link to it stops waiting out a backoff. */
  private readonly deliverInbound = (m: Message): void => {
    this.links.get(m.from)?.peerIsUp();
    this.handlers?.deliver(m);
  };

  async start(handlers: Handlers): Promise<void> {
    if (this.stopped) throw new Error('a stopped raft transport cannot start again');
    this.handlers = handlers;
  }

  send(messages: readonly Message[]): void {
    if (!this.handlers || this.stopped) return;
    for (const m of messages) {
      if (isLocalMessage(m.type)) {
        this.opts.logger.warn({ type: m.type, to: m.to }, 'a local raft message was handed to the transport: dropped');
        continue;
      }
      const link = this.links.get(m.to);
      if (link) link.enqueue(m as PeerMessage);
      else this.unreachable(m.to); // no address known for it (yet)
    }
  }

  setPeer(id: NodeId, addr: string): void {
    if (id === this.opts.id || this.stopped) return;
    const link = this.links.get(id);
    if (link) link.setAddress(addr);
    else this.links.set(id, new PeerLink(id, addr, this.linkContext));
  }

  removePeer(id: NodeId): void {
    const link = this.links.get(id);
    if (!link) return;
    this.links.delete(id);
    // The removed member may still need what was just sent to it (the entry that removes it, say).
    const closed = link.close(this.grace()).finally(() => this.closing.delete(closed));
    this.closing.add(closed);
  }

  /** Ends every inbound and outbound stream and closes every channel; the server itself belongs to the manager. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.handlers = undefined;
    this.service.closeAll();
    const links = [...this.links.values()];
    this.links.clear();
    await Promise.all([...links.map((l) => l.close(this.grace())), ...this.closing]);
  }

  private grace(): number {
    return this.opts.stopGraceMs ?? 500;
  }

  /** Reported from a microtask: never from inside send(), where the driver is in the middle of a Ready. */
  private unreachable(peer: NodeId): void {
    queueMicrotask(() => this.handlers?.onUnreachable(peer));
  }
}
