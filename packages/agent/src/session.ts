import {
  FailedPreconditionError, grpcCode, grpcErrorMessage, GrpcStatus, leaderAddrOf, UnauthenticatedError, UnavailableError,
  type AgentMessageInput, type Assignments, type Cancel, type ClientDuplexStream, type Clock, type EndpointTable, type LogSubscription,
  type Logger, type ManagerMessage, type MeshListener, type NodeDescription, type Promote, type Rand, type Registered, type TaskStatusUpdate,
} from '@shoal/api';
import { Backoff } from './backoff.js';
import type { EngineStatus } from './docker/engine.js';
import { ManagerList } from './managers.js';
import type { Identity } from './store.js';

const DEFAULT_HEARTBEAT_PERIOD_MS = 5_000;
/** A manager that accepts the stream but never answers the registration is given up on after this. */
const REGISTER_TIMEOUT_MS = 10_000;
/** Answers to a first join that are final; anything else (no manager, not ready yet) is retried. */
const JOIN_REFUSALS = new Set<number>([GrpcStatus.UNAUTHENTICATED, GrpcStatus.PERMISSION_DENIED, GrpcStatus.INVALID_ARGUMENT, GrpcStatus.UNIMPLEMENTED]);

export interface SessionOptions {
  /** host:port of a manager, tried first. */
  target: string;
  token: string | undefined;
  advertise: string;
  /** host:port a manager on this node would listen on ('' if the node cannot host one). */
  managerListen: string;
  clock: Clock;
  rand: Rand;
  logger: Logger;
  describe(): Promise<NodeDescription>;
  engineStatus(): EngineStatus;
  /** Every successful registration, with the node's (possibly new) identity. */
  onRegistered(identity: Identity): void;
  /** The leader sent a changed list of the managers' addresses. */
  onManagers(addrs: readonly string[]): void;
  onAssignments(assignments: Assignments): void;
  onLogSubscription(subscription: LogSubscription): void;
  /** The node was promoted: a manager is to be started on it. */
  onPromote(promote: Promote): void;
  /** The routing mesh's table, or a change of it, in the order the leader sent them (a registration brings a full one). */
  onEndpoints(table: EndpointTable): void;
  /** The routing mesh's listeners and their counters, sent with every heartbeat. */
  meshListeners(): MeshListener[];
  /** The stream is gone: whatever was streamed over it must stop. */
  onDisconnected(): void;
  /** The status of every task, re-sent after each registration (changes made while disconnected were dropped). */
  currentStatuses(): TaskStatusUpdate[];
}

type Stream = ClientDuplexStream<AgentMessageInput, ManagerMessage>;

/**
 * The agent's one session with the leading manager: register, heartbeats, assignments in, statuses and logs out.
 * A follower's refusal naming the leader is followed at once; any other broken stream moves on to the next manager
 * the agent knows, with backoff only after every one failed. The node registers with its id and secret after the
 * first join, which any manager's dispatcher accepts (the secret's hash is in the replicated store), so a leader
 * change costs a reconnect and nothing else. UNAUTHENTICATED ends the session for good: on a first join it means a
 * wrong token; for a node that had joined, that the node was removed from the cluster.
 */
export class Session {
  /** Resolves at the first registration; rejects if the manager refuses the node. */
  readonly registered: Promise<Identity>;
  private resolveRegistered!: (identity: Identity) => void;
  private rejectRegistered!: (err: Error) => void;
  private readonly managers: ManagerList;
  private readonly backoff: Backoff;
  private identity: Identity | undefined;
  private call: Stream | undefined;
  /** The current stream has been answered with Registered. */
  private ready = false;
  private lastDescription = '';
  private cancelConnectTimer: Cancel | undefined;
  private cancelHeartbeat: Cancel | undefined;
  private stopped = false;

  constructor(private readonly opts: SessionOptions) {
    this.managers = new ManagerList([opts.target]);
    this.backoff = new Backoff(opts.rand);
    this.registered = new Promise((resolve, reject) => {
      this.resolveRegistered = resolve;
      this.rejectRegistered = reject;
    });
    this.registered.catch(() => undefined); // the agent decides who awaits it
  }

  /** The identity to register with, for a node that has joined before; without one the token is used. */
  useIdentity(identity: Identity): void {
    this.identity = identity;
  }

  /** Managers known from before (a restarted agent's stored list), tried after the one it was started with. */
  knowManagers(addrs: readonly string[]): void {
    this.managers.replace([...this.managers.all(), ...addrs]);
  }

  start(): void {
    void this.connect();
  }

  /** Sends on the registered stream; false (the message is dropped) while there is none. */
  send(message: AgentMessageInput): boolean {
    if (!this.call || !this.ready) return false;
    this.call.write(message);
    return true;
  }

  /** Reports the engine's state now rather than at the next beat. */
  sendHeartbeat(): void {
    const engine = this.opts.engineStatus();
    this.send({ heartbeat: { engineReady: engine.ready, engineMessage: engine.message, mesh: this.opts.meshListeners() } });
  }

  /** Registers again if the node's description changed (e.g. the engine came back and reports its version). */
  async refreshDescription(): Promise<void> {
    const description = JSON.stringify(await this.opts.describe());
    if (this.stopped || !this.call || description === this.lastDescription) return;
    this.opts.logger.info('node description changed; registering again');
    this.abandon();
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.abandon();
    this.managers.close();
    this.rejectRegistered(new UnavailableError('agent stopped before it registered'));
  }

  private async connect(): Promise<void> {
    this.cancelConnectTimer?.();
    if (this.stopped) return;
    const description = await this.opts.describe();
    if (this.stopped || this.call) return;
    const call: Stream = this.managers.client().Session();
    this.call = call;
    let closed = false;
    const onClosed = (err: Error | undefined) => {
      if (closed || this.call !== call) return;
      closed = true;
      this.dropped(err);
    };
    call.on('data', (message: ManagerMessage) => {
      if (this.call === call) this.handle(message);
    });
    call.on('error', (err: Error) => onClosed(err));
    call.on('end', () => onClosed(undefined));
    const engine = this.opts.engineStatus();
    this.lastDescription = JSON.stringify(description);
    call.write({
      register: {
        token: this.identity ? '' : (this.opts.token ?? ''),
        nodeId: this.identity?.nodeId ?? '',
        nodeSecret: this.identity?.nodeSecret ?? '',
        addr: this.opts.advertise,
        description,
        engineReady: engine.ready,
        engineMessage: engine.message,
        managerListen: this.opts.managerListen,
      },
    });
    this.cancelConnectTimer = this.opts.clock.setTimeout(() => {
      this.opts.logger.warn({ manager: this.managers.current }, 'no answer to registration; trying the next manager');
      this.abandon();
      this.reconnect(this.managers.failed());
    }, REGISTER_TIMEOUT_MS);
  }

  private handle(message: ManagerMessage): void {
    if (message.registered) return this.onRegistered(message.registered);
    if (!this.ready) return; // nothing is valid before the registration is answered
    if (message.managers) {
      if (!this.managers.replace(message.managers.addrs)) return;
      this.opts.logger.info({ managers: this.managers.all() }, 'managers of the cluster changed');
      this.opts.onManagers(this.managers.all());
    } else if (message.assignments) this.opts.onAssignments(message.assignments);
    else if (message.logs) this.opts.onLogSubscription(message.logs);
    else if (message.promote) this.opts.onPromote(message.promote);
    else if (message.endpoints) this.opts.onEndpoints(message.endpoints);
  }

  private onRegistered(registered: Registered): void {
    this.cancelConnectTimer?.();
    // A manager also re-sends Registered on a live stream, to change the heartbeat period.
    const resync = !this.ready;
    // The secret is sent only on first join; later answers carry an empty one.
    const identity = { nodeId: registered.nodeId, nodeSecret: registered.nodeSecret || this.identity?.nodeSecret || '' };
    this.identity = identity;
    this.ready = true;
    this.backoff.reset();
    this.managers.registered();
    this.beat(registered.heartbeatPeriodMs || DEFAULT_HEARTBEAT_PERIOD_MS);
    if (!resync) return;
    this.opts.logger.info({ nodeId: identity.nodeId, manager: this.managers.current }, 'registered with manager');
    this.opts.onRegistered(identity);
    this.resolveRegistered(identity);
    const statuses = this.opts.currentStatuses();
    if (statuses.length) this.send({ status: { updates: statuses } });
  }

  private beat(periodMs: number): void {
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = this.opts.clock.setTimeout(() => {
      this.sendHeartbeat();
      this.beat(periodMs);
    }, Math.max(50, Math.floor(periodMs / 2)));
  }

  private dropped(err: Error | undefined): void {
    const hadJoined = !!this.identity;
    const wasReady = this.ready;
    this.abandon();
    if (this.stopped) return;
    const code = grpcCode(err);
    if (!hadJoined && code !== undefined && JOIN_REFUSALS.has(code)) {
      // The manager answered and said no: retrying with the same token cannot succeed.
      this.stopped = true;
      this.managers.close();
      const reason = grpcErrorMessage(err) || 'invalid join token';
      this.rejectRegistered(code === GrpcStatus.UNAUTHENTICATED
        ? new UnauthenticatedError(`join refused: ${reason}`)
        : new FailedPreconditionError(`join refused: ${reason}`));
      return;
    }
    if (code === GrpcStatus.UNAUTHENTICATED) {
      this.stopped = true;
      this.managers.close();
      // Retrying cannot help: the node must join again with a token (and a fresh data dir).
      const reason = grpcErrorMessage(err);
      this.opts.logger.error({ nodeId: this.identity?.nodeId, reason }, 'manager refused this node (removed from the cluster?); session ended');
      this.rejectRegistered(new UnauthenticatedError(`node ${this.identity?.nodeId} refused by the manager: ${reason}`));
      return;
    }
    const manager = this.managers.current;
    const leader = leaderAddrOf(err);
    const backOff = leader ? this.managers.redirect(leader) : this.managers.failed();
    const level = wasReady ? 'warn' : 'debug';
    this.opts.logger[level]({ manager, err: err ? grpcErrorMessage(err) : 'stream ended', next: this.managers.current }, 'session lost; reconnecting');
    this.reconnect(backOff);
  }

  /** Connects to the current manager: at once, or after the backoff once a whole round of managers failed. */
  private reconnect(backOff: boolean): void {
    if (this.stopped) return;
    this.cancelConnectTimer?.();
    if (backOff) this.cancelConnectTimer = this.opts.clock.setTimeout(() => void this.connect(), this.backoff.next());
    else void this.connect();
  }

  /** Forgets the current stream (its late events are ignored) and everything tied to it. */
  private abandon(): void {
    this.cancelConnectTimer?.();
    this.cancelHeartbeat?.();
    const call = this.call;
    this.call = undefined;
    const wasReady = this.ready;
    this.ready = false;
    call?.cancel();
    if (wasReady) this.opts.onDisconnected();
  }
}
