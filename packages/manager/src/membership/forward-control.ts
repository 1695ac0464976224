import type { Client as GrpcClient, Deadline, MethodDefinition, sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import {
  controlServiceDefinition, forwardingClient, grpcErrorMessage, GrpcMetadata, isTransportFailure, PermissionDeniedError, toServiceError,
  UnavailableError, type Clock, type ControlHandlers, type ServiceError,
} from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import { sameSecret } from '../dispatcher/index.js';
import { NoLeaderError } from '../raft/errors.js';
import { noLeaderError, type Membership } from './members.js';

/** Carries the manager join token on a forwarded call: the leader's proof that a manager sent it. */
const FORWARD_KEY = 'shoal-forwarded-by-manager';
/** Calls every manager answers itself: `shoal info` shows the view of the manager it talks to; events stream from its own log. */
const LOCAL_METHODS = new Set(['GetInfo', 'Events']);

type UnaryHandler = (call: ServerUnaryCall<unknown, unknown>, cb: sendUnaryData<unknown>) => void;
type StreamHandler = (call: ServerWritableStream<unknown, unknown>) => void;

export interface ControlRouterOptions {
  store: MemoryStore;
  membership: Membership;
  clock: Clock;
}

/** A call made while no leader is known waits this long for one (an election, a restart) before it is refused. */
const LEADER_WAIT_MS = 2_500;
const LEADER_POLL_MS = 25;

/**
 * Routes control calls: the leader answers them; any other manager forwards them to the leader over its cluster
 * port, so the CLI works against every manager. A forwarded call that reaches a manager that no longer leads is
 * refused rather than forwarded again (no loops); the CLI's retry finds the new leader.
 */
export class ControlRouter {
  private readonly clients = new Map<string, GrpcClient>();

  constructor(private readonly opts: ControlRouterOptions) {}

  /** The handlers of the unix socket and of the cluster port; `requireManager` refuses calls no manager sent. */
  handlers(local: ControlHandlers, requireManager: boolean): ControlHandlers {
    const out: Record<string, UnaryHandler | StreamHandler> = {};
    const locals = local as unknown as Record<string, UnaryHandler | StreamHandler>;
    for (const [name, def] of Object.entries(controlServiceDefinition())) {
      const handler = locals[name]!;
      const routed = (call: { metadata: GrpcMetadata }): string | Error | undefined => {
        const forwarded = this.forwardedByManager(call.metadata);
        if (requireManager && !forwarded) return new PermissionDeniedError('the control API is served on the manager\'s unix socket and on loopback only');
        if (this.opts.membership.isLeader || LOCAL_METHODS.has(name)) return undefined;
        const leader = this.opts.membership.leaderInfo();
        if (forwarded || !leader.id || !leader.addr) {
          return forwarded ? new UnavailableError('leadership changed while the call was forwarded: try again') : noLeaderError(this.opts.membership);
        }
        return leader.addr;
      };
      const stream: StreamHandler = async (call) => {
        const route = await this.settled(() => routed(call));
        if (route === undefined) return (handler as StreamHandler)(call);
        if (route instanceof Error) return call.emit('error', toServiceError(route));
        const up = this.client(route).makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, call.request, this.forwardMetadata(), {});
        up.on('data', (d: unknown) => { if (!call.cancelled) call.write(d); });
        up.on('end', () => call.end());
        up.on('error', (err: ServiceError) => { if (!call.cancelled) call.emit('error', this.leaderError(err, route)); });
        call.on('cancelled', () => up.cancel());
      };
      const unary: UnaryHandler = async (call, cb) => {
        const route = await this.settled(() => routed(call));
        if (route === undefined) return (handler as UnaryHandler)(call, cb);
        if (route instanceof Error) return cb(toServiceError(route));
        this.forwardUnary(route, def, call.request, call.getDeadline(), (err, res) => cb(err ? this.leaderError(err, route) : null, res));
      };
      out[name] = def.responseStream ? stream : unary;
    }
    return out as unknown as ControlHandlers;
  }

  /**
   * Routes a call, waiting up to LEADER_WAIT_MS while no leader is known but a quorum may elect one: a call made
   * during an election (or just after this manager restarted) is answered by the new leader instead of refused.
   * No quorum is said at once.
   */
  private async settled(route: () => string | Error | undefined): Promise<string | Error | undefined> {
    const until = this.opts.clock.now() + LEADER_WAIT_MS;
    for (;;) {
      const r = route();
      if (!(r instanceof NoLeaderError) || this.opts.clock.now() >= until) return r;
      await new Promise<void>((resolve) => this.opts.clock.setTimeout(resolve, LEADER_POLL_MS));
    }
  }

  /** Asks the leader a unary control call on this manager's behalf; undefined when this manager leads or knows none. */
  askLeader<Res>(method: string, req: object, timeoutMs: number): Promise<Res | undefined> {
    const leader = this.opts.membership.leaderInfo();
    const def = controlServiceDefinition()[method];
    if (this.opts.membership.isLeader || !leader.addr || !def) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.forwardUnary(leader.addr, def, req, Date.now() + timeoutMs, (err, res) => resolve(err ? undefined : res as Res));
    });
  }

  /** One unary control call to the leader at `addr`, marked as sent by a manager. */
  private forwardUnary(addr: string, def: MethodDefinition<unknown, unknown>, req: unknown, deadline: Deadline,
    done: (err: ServiceError | null, res: unknown) => void): void {
    this.client(addr).makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, this.forwardMetadata(), { deadline }, done);
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(addr: string): GrpcClient {
    let client = this.clients.get(addr);
    if (!client) {
      client = forwardingClient(addr);
      this.clients.set(addr, client);
    }
    return client;
  }

  private forwardMetadata(): GrpcMetadata {
    const md = new GrpcMetadata();
    md.set(FORWARD_KEY, this.opts.store.cluster()?.managerToken ?? '');
    return md;
  }

  private forwardedByManager(md: GrpcMetadata): boolean {
    const [token] = md.get(FORWARD_KEY);
    const expected = this.opts.store.cluster()?.managerToken;
    return typeof token === 'string' && !!expected && sameSecret(token, expected);
  }

  /** The leader's own answers pass as they are; grpc-js's words for not reaching it are replaced by ours. */
  private leaderError(err: ServiceError, addr: string): ServiceError {
    if (!isTransportFailure(err)) return err;
    return toServiceError(new UnavailableError(`the leader at ${addr} is unreachable (${grpcErrorMessage(err)})`)) as ServiceError;
  }
}
