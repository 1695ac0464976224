// The inbound half of the gRPC transport: the Raft service on the cluster port. Each envelope is checked whole
// (cluster, sender, every message) before any of its messages is delivered, in arrival order.
import {
  FailedPreconditionError, GrpcMetadata, InvalidArgumentError, PermissionDeniedError, toServiceError, UnavailableError,
  type Logger, type RaftAckInput, type RaftEnvelope, type RaftHandlers, type ServerReadableStream, type ShoalError,
} from '@shoal/api';
import type { Message, NodeId } from './core/index.js';
import { decodeMessage } from './message-codec.js';

export interface InboundContext {
  readonly clusterId: string;
  readonly self: NodeId;
  readonly logger: Logger;
  isMember(id: NodeId): boolean;
  /** Undefined until the transport starts and after it stops: streams are then refused as unavailable. */
  deliverer(): ((m: Message) => void) | undefined;
}

type InboundCall = ServerReadableStream<RaftEnvelope, RaftAckInput>;

export class RaftService {
  /** Open inbound streams, each with the function that ends it. */
  private readonly streams = new Map<InboundCall, (err: ShoalError) => void>();

  constructor(private readonly ctx: InboundContext) {}

  handlers(): RaftHandlers {
    return {
      Stream: (call, callback) => {
        let done = false;
        let accepted = false;
        const finish = (err?: unknown, quiet = false): void => {
          if (done) return;
          done = true;
          this.streams.delete(call);
          if (err === undefined) return callback(null, {});
          const status = toServiceError(err);
          if (!quiet) this.ctx.logger.warn({ peer: call.getPeer(), code: status.code }, `raft stream refused: ${status.details}`);
          callback(status);
        };
        this.streams.set(call, (err) => finish(err, true));
        call.on('data', (envelope: RaftEnvelope) => {
          if (done) return;
          const deliver = this.ctx.deliverer();
          if (!deliver) return finish(new UnavailableError(`the raft transport of ${this.ctx.self} is not running`), true);
          try {
            const messages = this.check(envelope);
            if (!accepted) {
              accepted = true;
              call.sendMetadata(new GrpcMetadata()); // tells the sender its link works (see PeerLink.open)
            }
            for (const m of messages) deliver(m);
          } catch (err) {
            finish(err);
          }
        });
        call.on('end', () => finish());
        call.on('error', () => finish());
        call.on('cancelled', () => finish());
      },
    };
  }

  /** Ends every inbound stream: the senders see UNAVAILABLE and retry with backoff. */
  closeAll(): void {
    for (const finish of [...this.streams.values()]) finish(new UnavailableError(`the raft transport of ${this.ctx.self} stopped`));
  }

  private check(envelope: RaftEnvelope): Message[] {
    const { clusterId, self } = this.ctx;
    if (envelope.clusterId !== clusterId) {
      throw new FailedPreconditionError(`wrong cluster: the sender is in cluster ${envelope.clusterId || '(none)'}, this manager in cluster ${clusterId}`);
    }
    if (!envelope.from) throw new InvalidArgumentError('malformed raft envelope: from is empty');
    if (!this.ctx.isMember(envelope.from)) throw new PermissionDeniedError(`not a member of this cluster: ${envelope.from}`);
    return envelope.messages.map((w, i) => {
      const m = decodeMessage(w, `messages[${i}]`);
      if (m.from !== envelope.from) throw new InvalidArgumentError(`malformed raft message: messages[${i}].from ${m.from} is not the sender ${envelope.from}`);
      if (m.to !== self) throw new FailedPreconditionError(`misaddressed raft message: messages[${i}].to is ${m.to} but this manager is ${self}`);
      return m;
    });
  }
}
