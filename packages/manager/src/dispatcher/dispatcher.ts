import {
  GrpcStatus, newId, newSecret, type AgentMessage, type Assignments, type Clock, type DispatcherHandlers,
  type LogBatch, type LogSubscription, type Logger, type ManagerMessageInput, type Node, type Promote, type Rand, type Register,
  type ServerDuplexStream, type Task, type Cancel, type Endpoint, type MeshListener,
} from '@shoal/api';
import type { MemoryStore, StoreEvent } from '../store/index.js';
import { MeshTable } from '../mesh/table.js';
import { AssignmentSet } from './assignments.js';
import { HeartbeatTracker } from './heartbeats.js';
import { StatusWriter } from './status-writer.js';
import { isManager, managerAddrs } from './managers.js';
import { hashSecret, sameSecret } from './tokens.js';

export interface DispatcherComponents {
  store: MemoryStore;
  clock: Clock;
  rand: Rand;
  logger: Logger;
}

type SessionCall = ServerDuplexStream<AgentMessage, ManagerMessageInput>;

/** One agent's live session. */
interface AgentSession {
  nodeId: string;
  call: SessionCall;
  assignments: AssignmentSet;
  pending: { tasks: Map<string, Task>; removed: Set<string> };
  engineReady: boolean;
}

/** Nodes get this many heartbeat periods to reconnect after the manager starts. */
const START_GRACE_PERIODS = 6;

/**
 * Holds one bidirectional session per agent: registration, heartbeats, assignments (the full set, then
 * changes), the routing mesh's endpoint table (the full table, then changes) and batched task status. Marks nodes
 * DOWN when their heartbeats stop.
 */
export class Dispatcher {
  private readonly sessions = new Map<string, AgentSession>();
  private readonly heartbeats: HeartbeatTracker;
  private readonly statuses: StatusWriter;
  private readonly logSubscribers = new Map<string, (batch: LogBatch) => void>();
  /** The routing mesh's endpoint table, as last sent to the agents. */
  private readonly mesh: MeshTable;
  /**
   * Nodes whose tasks get no mesh connections although the store may still say ready: their session ended, or
   * they have been silent for a heartbeat period. DOWN stays at 3 periods.
   */
  private readonly unreachable = new Set<string>();
  /** Each connected node's mesh listeners, from its latest heartbeat. */
  private readonly meshStats = new Map<string, MeshListener[]>();
  /** Every manager's address, as last sent to the agents. */
  private managers: string[];
  private managersChanged = false;
  private unsubscribe: (() => void) | undefined;
  private cancelExpiryTimer: Cancel | undefined;
  private stopped = false;

  constructor(private readonly c: DispatcherComponents) {
    this.heartbeats = new HeartbeatTracker(c.store.cluster()?.spec.heartbeatPeriodMs || 5000);
    this.managers = managerAddrs(c.store.all('nodes'));
    this.mesh = new MeshTable(c.store);
    this.statuses = new StatusWriter(c);
  }

  start(): void {
    const now = this.c.clock.now();
    for (const node of this.c.store.all('nodes')) {
      if (node.status.agent && node.status.state !== 'down') this.heartbeats.grace(node.id, now, START_GRACE_PERIODS);
    }
    // Nodes in their start grace count as reachable for a period: their agents reconnect to this leader meanwhile.
    this.mesh.rebuild(this.unreachable);
    this.unsubscribe = this.c.store.subscribe((e) => this.onStoreEvent(e));
    this.scheduleExpiryCheck();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.cancelExpiryTimer?.();
    this.statuses.stop();
    for (const s of this.sessions.values()) s.call.end();
    this.sessions.clear();
  }

  handlers(): DispatcherHandlers {
    return { Session: (call: SessionCall) => this.open(call) } as DispatcherHandlers;
  }

  /** Whether an agent currently holds a session for the node. */
  connected(nodeId: string): boolean { return this.sessions.has(nodeId); }

  /** A service's ingress endpoints with their backends, as the agents were last sent them. */
  endpointsOf(serviceId: string): Endpoint[] { return this.mesh.endpointsOf(serviceId); }

  /** A connected node's mesh listeners, as its latest heartbeat reported them. */
  meshOf(nodeId: string): MeshListener[] { return this.meshStats.get(nodeId) ?? []; }

  /** Asks a node's agent for container logs; batches arrive on onBatch until one has done set. */
  subscribeLogs(nodeId: string, sub: Omit<LogSubscription, 'id' | 'cancel'>, onBatch: (b: LogBatch) => void): Cancel {
    const session = this.sessions.get(nodeId);
    const id = newId(this.c.rand);
    if (!session) {
      onBatch({ subscriptionId: id, lines: [], done: true, error: `node ${nodeId} is not connected` });
      return () => undefined;
    }
    this.logSubscribers.set(id, onBatch);
    session.call.write({ logs: { ...sub, id, cancel: false } });
    return () => {
      if (!this.logSubscribers.delete(id)) return;
      this.sessions.get(nodeId)?.call.write({ logs: { id, cancel: true } });
    };
  }

  /** Tells a node's agent to start a manager that joins the cluster as this node; false if the agent is not connected. */
  promote(nodeId: string, promote: Promote): boolean {
    const session = this.sessions.get(nodeId);
    if (!session) return false;
    session.call.write({ promote });
    this.c.logger.info({ nodeId, joinAddr: promote.joinAddr }, 'node promoted: its agent starts a manager');
    return true;
  }

  private open(call: SessionCall): void {
    let session: AgentSession | undefined;
    call.on('data', (msg: AgentMessage) => {
      if (!session) {
        if (msg.msg !== 'register' || !msg.register) return this.refuse(call, GrpcStatus.FAILED_PRECONDITION, 'the first message of a session must be register');
        // Hold further messages until registration is written, so none is lost or misattributed.
        call.pause();
        this.register(call, msg.register).then((s) => {
          session = s;
          if (s) call.resume();
        }, (err: unknown) => {
          this.c.logger.error({ err }, 'registration failed');
          this.refuse(call, GrpcStatus.INTERNAL, `registration failed: ${(err as Error).message}`);
        });
        return;
      }
      this.onAgentMessage(session, msg);
    });
    const close = () => {
      if (!session || this.sessions.get(session.nodeId) !== session) return;
      this.sessions.delete(session.nodeId);
      // The node's tasks leave the mesh at once: nothing says the node still answers.
      this.setUnreachable(session.nodeId, true);
    };
    call.on('end', () => { close(); call.end(); });
    call.on('error', close);
    call.on('cancelled', close);
  }

  private refuse(call: SessionCall, code: GrpcStatus, details: string): void {
    call.emit('error', { code, details, message: details });
  }

  private async register(call: SessionCall, reg: Register): Promise<AgentSession | undefined> {
    const cluster = this.c.store.cluster();
    if (!cluster) { this.refuse(call, GrpcStatus.UNAVAILABLE, 'the cluster is not initialised yet'); return undefined; }
    let nodeId = reg.nodeId;
    let secret = '';
    if (nodeId) {
      const node = this.c.store.get('nodes', nodeId);
      if (!node || !sameSecret(hashSecret(reg.nodeSecret), node.secretHash)) {
        this.refuse(call, GrpcStatus.UNAUTHENTICATED, `node ${nodeId} is not a member of this cluster`);
        return undefined;
      }
    } else if (reg.token && sameSecret(reg.token, cluster.workerToken)) {
      nodeId = newId(this.c.rand);
      secret = newSecret(this.c.rand);
    } else if (reg.token && sameSecret(reg.token, cluster.managerToken)) {
      this.refuse(call, GrpcStatus.UNIMPLEMENTED, 'joining as a manager is not supported yet: use the worker join token');
      return undefined;
    } else {
      this.refuse(call, GrpcStatus.UNAUTHENTICATED, reg.token ? 'invalid join token' : 'a join token is required');
      return undefined;
    }
    const status = {
      state: reg.engineReady ? 'ready' : 'down', message: reg.engineReady ? '' : reg.engineMessage, addr: reg.addr, agent: true,
      managerListen: reg.managerListen,
    };
    const id = nodeId;
    await this.c.store.update((tx) => {
      const node = tx.get('nodes', id);
      if (node) tx.update('nodes', { ...node, description: reg.description, status });
      else tx.create('nodes', newNode(id, reg, status, hashSecret(secret)));
    });
    if (this.stopped || call.cancelled) return undefined;
    const previous = this.sessions.get(id);
    if (previous) {
      this.sessions.delete(id);
      previous.call.end();
    }
    // The node's tasks are back in the other agents' tables, and in the full table it gets below.
    this.heartbeats.beat(id, this.c.clock.now());
    this.setUnreachable(id, false);
    const session: AgentSession = {
      nodeId: id, call, assignments: new AssignmentSet(), pending: { tasks: new Map(), removed: new Set() }, engineReady: reg.engineReady,
    };
    this.sessions.set(id, session);
    // The tasks as they are now (not as the registration's transaction saw them): later changes are sent as such.
    const tasks = this.c.store.findTasks({ nodeId: id });
    call.write({ registered: { nodeId: id, nodeSecret: secret, heartbeatPeriodMs: this.heartbeats.period } });
    call.write({ managers: { addrs: this.managers } });
    call.write({ assignments: { full: true, tasks: session.assignments.full(tasks), removed: [] } });
    call.write({ endpoints: this.mesh.full() });
    this.c.logger.info({ nodeId: id, addr: reg.addr, hostname: reg.description.hostname }, secret ? 'node joined' : 'node reconnected');
    return session;
  }

  private onAgentMessage(session: AgentSession, msg: AgentMessage): void {
    if (this.sessions.get(session.nodeId) !== session) return;
    if (msg.heartbeat) {
      this.heartbeats.beat(session.nodeId, this.c.clock.now());
      this.meshStats.set(session.nodeId, msg.heartbeat.mesh ?? []);
      this.setUnreachable(session.nodeId, false);
      if (msg.heartbeat.engineReady !== session.engineReady) {
        session.engineReady = msg.heartbeat.engineReady;
        void this.setNodeState(session.nodeId, session.engineReady ? 'ready' : 'down', session.engineReady ? '' : msg.heartbeat.engineMessage);
      }
    } else if (msg.status) {
      this.statuses.add(session.nodeId, msg.status.updates);
    } else if (msg.logs) {
      const sub = this.logSubscribers.get(msg.logs.subscriptionId);
      if (sub) {
        if (msg.logs.done) this.logSubscribers.delete(msg.logs.subscriptionId);
        sub(msg.logs);
      }
    }
  }

  /**
   * Checks the heartbeats every quarter period (at most 250 ms), and exactly when the next node falls silent, so a
   * silent node leaves the mesh one period after its last beat.
   */
  private scheduleExpiryCheck(): void {
    if (this.stopped) return;
    const now = this.c.clock.now();
    const nextSilence = this.heartbeats.nextSilence();
    const delay = Math.min(250, this.heartbeats.period / 4, nextSilence === undefined ? Infinity : Math.max(0, nextSilence - now));
    this.cancelExpiryTimer = this.c.clock.setTimeout(() => {
      const at = this.c.clock.now();
      for (const nodeId of this.heartbeats.silent(at)) {
        if (!this.unreachable.has(nodeId)) this.c.logger.warn({ nodeId }, 'node silent for a heartbeat period: its tasks leave the routing mesh');
        this.setUnreachable(nodeId, true);
      }
      const expired = this.heartbeats.expire(at);
      for (const nodeId of expired) {
        this.c.logger.warn({ nodeId }, 'node missed its heartbeats: down');
        this.sessions.get(nodeId)?.call.end();
        this.sessions.delete(nodeId);
        this.setUnreachable(nodeId, true);
        void this.setNodeState(nodeId, 'down', 'heartbeat failure');
      }
      this.scheduleExpiryCheck();
    }, delay);
  }

  /** Takes a node's tasks out of the mesh or back in, and sends the agents the change at once. */
  private setUnreachable(nodeId: string, unreachable: boolean): void {
    if (unreachable === this.unreachable.has(nodeId)) return;
    if (unreachable) {
      this.unreachable.add(nodeId);
      this.meshStats.delete(nodeId);
    } else {
      this.unreachable.delete(nodeId);
    }
    this.mesh.markNode(nodeId);
    this.flushEndpoints();
  }

  private async setNodeState(nodeId: string, state: string, message: string): Promise<void> {
    try {
      await this.c.store.update((tx) => {
        const node = tx.get('nodes', nodeId);
        if (node && (node.status.state !== state || node.status.message !== message)) {
          tx.update('nodes', { ...node, status: { ...node.status, state, message } });
        }
      });
    } catch (err) {
      this.c.logger.error({ err, nodeId }, 'updating node state failed');
    }
  }

  private onStoreEvent(e: StoreEvent): void {
    // The table first: a task whose desired state left RUNNING is out of every agent's table no later than its own
    // agent hears it must stop.
    if (e.kind === 'commit') { this.flushEndpoints(); this.flushAssignments(); this.flushManagers(); return; }
    if (e.table === 'nodes' && (isManager(e.object as Node) || (e.kind !== 'delete' && e.old && isManager(e.old as Node)))) this.managersChanged = true;
    this.mesh.mark(e);
    if (e.table === 'tasks') {
      const task = e.object as Task;
      const session = this.sessions.get(task.nodeId);
      if (!session) return;
      if (e.kind === 'delete') {
        if (session.assignments.removed(task.id)) { session.pending.tasks.delete(task.id); session.pending.removed.add(task.id); }
      } else if (session.assignments.changed(task)) {
        session.pending.tasks.set(task.id, task);
      }
    } else if (e.table === 'nodes' && e.kind === 'delete') {
      const session = this.sessions.get(e.object.id);
      this.heartbeats.forget(e.object.id);
      this.unreachable.delete(e.object.id);
      this.meshStats.delete(e.object.id);
      if (session) { this.sessions.delete(e.object.id); this.refuse(session.call, GrpcStatus.UNAUTHENTICATED, 'this node was removed from the cluster'); }
    } else if (e.table === 'clusters' && e.kind === 'update') {
      this.onClusterChange((e.object as { spec: { heartbeatPeriodMs: number } }).spec.heartbeatPeriodMs);
    }
  }

  /** Sends every agent the change of the endpoint table, if any. */
  private flushEndpoints(): void {
    const change = this.mesh.flush(this.unreachable);
    if (!change) return;
    for (const s of this.sessions.values()) s.call.write({ endpoints: change });
  }

  private onClusterChange(periodMs: number): void {
    if (!periodMs || periodMs === this.heartbeats.period) return;
    this.heartbeats.setPeriod(periodMs);
    const now = this.c.clock.now();
    for (const s of this.sessions.values()) {
      this.heartbeats.beat(s.nodeId, now);
      s.call.write({ registered: { nodeId: s.nodeId, nodeSecret: '', heartbeatPeriodMs: periodMs } });
    }
  }

  /** Tells every agent the managers' addresses when the set changed, so agents can find the next leader. */
  private flushManagers(): void {
    if (!this.managersChanged) return;
    this.managersChanged = false;
    const addrs = managerAddrs(this.c.store.all('nodes'));
    if (addrs.join() === this.managers.join()) return;
    this.managers = addrs;
    for (const s of this.sessions.values()) s.call.write({ managers: { addrs } });
  }

  private flushAssignments(): void {
    for (const s of this.sessions.values()) {
      const { tasks, removed } = s.pending;
      if (tasks.size === 0 && removed.size === 0) continue;
      const msg: Assignments = { full: false, tasks: [...tasks.values()], removed: [...removed] };
      tasks.clear();
      removed.clear();
      s.call.write({ assignments: msg });
    }
  }
}

function newNode(id: string, reg: Register, status: Node['status'], secretHash: string): Node {
  return {
    id,
    meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role: 'worker', availability: 'active' },
    description: reg.description,
    status,
    managerStatus: { addr: '', leader: false, reachability: '' },
    secretHash,
    mesh: [],
  };
}
