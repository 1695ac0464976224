import type { Clock, Logger } from '@shoal/api';
import { pickBackend, type Route, type RouteTable, type Target } from './balancer.js';
import { TcpProxy } from './tcp-proxy.js';

/**
 * What a listener needs from its mesh: the routes, the connection counts per task, the clock and settings, and the
 * native TCP proxy with the id of its route for each TCP route key.
 */
export class MeshContext {
  private readonly load = new Map<string, number>();
  private readonly loadOf = (taskId: string): number => this.load.get(taskId) ?? 0;
  readonly tcp: TcpProxy;
  /** The proxy's route for each TCP route key. */
  readonly tcpRoutes = new Map<string, number>();

  constructor(
    readonly routes: RouteTable,
    readonly logger: Logger,
    readonly clock: Clock,
    connectTimeoutMs: number,
    readonly udpIdleMs: number,
    /** Client flows one UDP listener keeps at most (each holds a socket): datagrams of further clients are dropped. */
    readonly udpMaxFlows = 8_192,
  ) {
    this.tcp = new TcpProxy(connectTimeoutMs);
  }

  /** Chooses a backend of the route (least connections, ties round-robin) and counts a flow to it (UDP). */
  pick(route: Route): Target | undefined {
    const i = pickBackend(route.backends, this.loadOf, route.cursor);
    if (i < 0) return undefined;
    route.cursor = i + 1;
    const target = route.backends[i]!;
    this.load.set(target.taskId, this.loadOf(target.taskId) + 1);
    return target;
  }

  /** A flow to the task ended. */
  release(taskId: string): void {
    const n = this.loadOf(taskId) - 1;
    if (n > 0) this.load.set(taskId, n);
    else this.load.delete(taskId);
  }

  /** Connections (TCP) and client flows (UDP) open to the task now. */
  open(taskId: string): number {
    return this.loadOf(taskId) + this.tcp.connections(taskId);
  }
}
