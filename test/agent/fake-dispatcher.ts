import {
  addDispatcherService, bindServer, GrpcStatus, newServer, stopServer,
  type AgentMessage, type GrpcServer, type ManagerMessageInput, type ServerDuplexStream, type TaskInput,
} from '@shoal/api';

import { refuseNotLeader } from '../../packages/manager/src/dispatcher/index.js';

type Stream = ServerDuplexStream<AgentMessage, ManagerMessageInput>;

/**
 * A manager's dispatcher reduced to what an agent sees: it accepts one token and records every message. Several
 * with the same credentials (startFakeManagers) act as the managers of one cluster, the followers refusing sessions
 * the way a real follower does.
 */
export class FakeDispatcher {
  readonly received: AgentMessage[] = [];
  readonly streams: Stream[] = [];
  /** Tasks sent as the full set after each registration. */
  tasks: TaskInput[] = [];
  heartbeatPeriodMs = 200;
  /** Node ids this dispatcher no longer knows (as after `node rm`). */
  readonly removed = new Set<string>();
  /** Set, this manager is a follower: it refuses every session, naming this leader address ('' = none known). */
  following: string | undefined;
  /** The managers' addresses sent after Registered, when set. */
  managers: string[] | undefined;
  /** Sessions refused as a follower. */
  refused = 0;
  addr = '';
  private server: GrpcServer | undefined;

  constructor(readonly token = 'SWMTKN-1-good', readonly nodeId = 'node-fake-1', readonly secret = 'secret-1') {}

  async start(addr = '127.0.0.1:0'): Promise<this> {
    this.server = newServer();
    addDispatcherService(this.server, { Session: (call: Stream) => this.session(call) });
    const port = await bindServer(this.server, addr);
    this.addr = `127.0.0.1:${port}`;
    return this;
  }

  /** Stops abruptly, as a killed manager. */
  async stop(): Promise<void> {
    for (const s of this.streams) s.destroy();
    this.server?.forceShutdown();
    this.server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  async close(): Promise<void> {
    if (this.server) await stopServer(this.server, 100);
  }

  registrations(): NonNullable<AgentMessage['register']>[] {
    return this.received.flatMap((m) => (m.register ? [m.register] : []));
  }

  heartbeats(): NonNullable<AgentMessage['heartbeat']>[] {
    return this.received.flatMap((m) => (m.heartbeat ? [m.heartbeat] : []));
  }

  statusUpdates(): NonNullable<AgentMessage['status']>['updates'] {
    return this.received.flatMap((m) => m.status?.updates ?? []);
  }

  logBatches(): NonNullable<AgentMessage['logs']>[] {
    return this.received.flatMap((m) => (m.logs ? [m.logs] : []));
  }

  /** Sends to the most recent session. */
  send(message: ManagerMessageInput): void {
    this.streams.at(-1)?.write(message);
  }

  private session(call: Stream): void {
    call.on('error', () => undefined);
    if (this.following !== undefined) {
      this.refused++;
      refuseNotLeader(call, this.following);
      return;
    }
    this.streams.push(call);
    call.on('data', (message: AgentMessage) => {
      this.received.push(message);
      const reg = message.register;
      if (!reg) return;
      const known = reg.nodeId === this.nodeId && reg.nodeSecret === this.secret && !this.removed.has(reg.nodeId);
      if (!known && reg.token !== this.token) {
        call.emit('error', { code: GrpcStatus.UNAUTHENTICATED, details: known ? 'unknown node' : 'invalid join token' });
        return;
      }
      call.write({ registered: { nodeId: this.nodeId, nodeSecret: reg.nodeId ? '' : this.secret, heartbeatPeriodMs: this.heartbeatPeriodMs } });
      if (this.managers) call.write({ managers: { addrs: this.managers } });
      call.write({ assignments: { full: true, tasks: this.tasks } });
    });
    call.on('end', () => call.end());
  }
}

/** Starts the managers of one cluster (same token and node credentials), each listing all; the first leads, the others follow it. */
export async function startFakeManagers(count: number): Promise<FakeDispatcher[]> {
  const managers = await Promise.all(Array.from({ length: count }, () => new FakeDispatcher().start()));
  const addrs = managers.map((m) => m.addr);
  for (const m of managers) m.managers = addrs;
  for (const m of managers.slice(1)) m.following = addrs[0];
  return managers;
}
