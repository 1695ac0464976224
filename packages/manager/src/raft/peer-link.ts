// The outbound half of the gRPC transport for one peer: a bounded queue drained into one long-lived client stream.
import { grpcCode, grpcErrorMessage, GrpcStatus, raftClient, type ClientWritableStream, type Logger, type RaftClient, type RaftEnvelopeInput, type ServiceError } from '@shoal/api';
import type { Message, NodeId, PeerMessageType } from './core/index.js';
import { encodeMessage } from './message-codec.js';

export interface LinkLimits {
  /** Messages kept for a peer that does not keep up; beyond it the oldest are dropped (Raft sends them again). */
  readonly maxQueue: number;
  /** Messages per envelope, and bytes of entry and snapshot data per envelope (one larger message still goes alone). */
  readonly maxBatch: number;
  readonly maxBatchBytes: number;
  /** Delay before reconnecting after a failed stream, doubling up to the maximum. */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

export interface LinkContext {
  readonly clusterId: string;
  readonly self: NodeId;
  readonly limits: LinkLimits;
  readonly logger: Logger;
  /** Called when messages to the peer were lost: the stream failed, or the queue overflowed. */
  unreachable(peer: NodeId): void;
}

export type PeerMessage = Message & { type: PeerMessageType };

/** Refusals name a problem a person must fix (membership, cluster id, versions), unlike a peer that is just down. */
const REFUSALS = new Set<number>([GrpcStatus.PERMISSION_DENIED, GrpcStatus.FAILED_PRECONDITION, GrpcStatus.INVALID_ARGUMENT]);

export class PeerLink {
  private client: RaftClient | undefined;
  private call: ClientWritableStream<RaftEnvelopeInput> | undefined;
  private queue: PeerMessage[] = [];
  private flushScheduled = false;
  /** False while the stream's buffer is full: writing resumes on 'drain'. */
  private writable = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private overflowReported = false;
  private closed = false;
  private onCallEnded: (() => void) | undefined;

  constructor(readonly peer: NodeId, private addr: string, private readonly ctx: LinkContext) {
    this.backoffMs = ctx.limits.backoffInitialMs;
  }

  /** A new address: the old stream and channel are dropped, and what is queued goes to the new one at once. */
  setAddress(addr: string): void {
    if (addr === this.addr) return;
    this.addr = addr;
    const old = this.call;
    this.call = undefined; // its end is then ignored (see ended)
    this.writable = true;
    old?.cancel();
    this.client?.close();
    this.client = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.backoffMs = this.ctx.limits.backoffInitialMs;
    // What was in flight on the old stream is lost: the core must probe again.
    if (old) this.ctx.unreachable(this.peer);
    this.flush();
  }

  enqueue(m: PeerMessage): void {
    if (this.closed) return;
    this.queue.push(m);
    const excess = this.queue.length - this.ctx.limits.maxQueue;
    if (excess > 0) {
      this.queue.splice(0, excess);
      if (!this.overflowReported) {
        this.overflowReported = true;
        this.ctx.unreachable(this.peer);
      }
    }
    // Everything the driver sends in one turn leaves in one flush, batched into as few envelopes as the limits allow.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => { this.flushScheduled = false; this.flush(); });
    }
  }

  /**
   * The peer just sent us something, so it is up: a link waiting out its backoff (the peer had gone, say a restart)
   * retries now, on a new channel — the old one may be in grpc's own reconnect backoff. Otherwise a restarted
   * member hears nothing from us for up to the maximum backoff, and a leader that needs it for its quorum steps down.
   */
  peerIsUp(): void {
    if (this.closed || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.backoffMs = this.ctx.limits.backoffInitialMs;
    this.client?.close();
    this.client = undefined;
    this.flush();
  }

  /** Ends the stream, letting what was written reach the peer within `graceMs`, then closes the channel. */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    this.queue = [];
    clearTimeout(this.retryTimer);
    const call = this.call;
    if (call) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => call.cancel(), graceMs);
        this.onCallEnded = () => { clearTimeout(force); resolve(); };
        call.end();
      });
    }
    this.client?.close();
    this.client = undefined;
  }

  private flush(): void {
    if (this.closed || this.retryTimer || !this.writable || this.queue.length === 0) return;
    const call = this.call ?? this.open();
    while (this.queue.length > 0 && this.writable) {
      this.writable = call.write({ clusterId: this.ctx.clusterId, from: this.ctx.self, messages: this.takeBatch().map(encodeMessage) });
    }
    if (this.queue.length === 0) this.overflowReported = false;
    if (!this.writable) {
      call.once('drain', () => {
        if (call !== this.call) return;
        this.writable = true;
        this.flush();
      });
    }
  }

  private takeBatch(): PeerMessage[] {
    const { maxBatch, maxBatchBytes } = this.ctx.limits;
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && n < maxBatch) {
      bytes += payloadBytes(this.queue[n]!);
      if (n > 0 && bytes > maxBatchBytes) break;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private open(): ClientWritableStream<RaftEnvelopeInput> {
    this.client ??= raftClient(this.addr);
    const call = this.client.Stream((err) => this.ended(call, err));
    // The receiver sends its headers once it accepted our first envelope: the link works, so the next failure
    // retries from the shortest delay again.
    call.on('metadata', () => { this.backoffMs = this.ctx.limits.backoffInitialMs; });
    this.call = call;
    return call;
  }

  private ended(call: ClientWritableStream<RaftEnvelopeInput>, err: ServiceError | null): void {
    if (call !== this.call) return; // a stream dropped for a new address
    this.call = undefined;
    this.writable = true;
    if (this.closed) {
      this.onCallEnded?.();
      return;
    }
    if (err) {
      const code = grpcCode(err);
      if (code !== undefined && REFUSALS.has(code)) {
        this.ctx.logger.warn({ peer: this.peer, addr: this.addr, code }, `raft peer ${this.peer} refused our messages: ${grpcErrorMessage(err)}`);
      } else {
        this.ctx.logger.debug({ peer: this.peer, addr: this.addr, code }, `raft stream to ${this.peer} failed: ${grpcErrorMessage(err)}`);
      }
      this.ctx.unreachable(this.peer);
    }
    this.retryTimer = setTimeout(() => { this.retryTimer = undefined; this.flush(); }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.ctx.limits.backoffMaxMs);
  }
}

function payloadBytes(m: Message): number {
  let bytes = m.snapshot?.data.byteLength ?? 0;
  for (const e of m.entries) bytes += e.data.byteLength;
  return bytes;
}
