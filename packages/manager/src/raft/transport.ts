import type { Message, NodeId } from './core/index.js';

/**
 * How a Raft driver reaches its peers. Sending is fire-and-forget (Raft retries by itself); a peer that cannot be
 * reached is reported through `onUnreachable` so the core can slow down replication to it.
 * Implementations: an in-memory network for tests, and gRPC between managers.
 */
export interface RaftTransport {
  /** Starts delivering messages addressed to this node to `deliver`. */
  start(handlers: { deliver(message: Message): void; onUnreachable(peer: NodeId): void }): Promise<void>;
  /** Sends each message to its `to` peer; never throws and never blocks on the network. */
  send(messages: readonly Message[]): void;
  /** The address of a member, learnt from the membership (conf changes carry it). */
  setPeer(id: NodeId, addr: string): void;
  removePeer(id: NodeId): void;
  stop(): Promise<void>;
}
