import type { Clock, Logger } from '@shoal/api';
import { pickBackend, type Route, type RouteTable, type Target } from './balancer.js';

/** What a listener needs from its mesh: the routes, the connection counts per task, the clock and settings. */
export class MeshContext {
  private readonly load = new Map<string, number>();
  private readonly loadOf = (taskId: string): number => this.load.get(taskId) ?? 0;

  constructor(
    readonly routes: RouteTable,
    readonly logger: Logger,
    readonly clock: Clock,
    readonly connectTimeoutMs: number,
    readonly udpIdleMs: number,
    /** Client flows one UDP listener keeps at most (each holds a socket): datagrams of further clients are dropped. */
    readonly udpMaxFlows = 8_192,
  ) {}

  /** Chooses a backend of the route (least connections, ties round-robin) and counts a connection to it. */
  pick(route: Route, skip?: ReadonlySet<string>): Target | undefined {
    const i = pickBackend(route.backends, this.loadOf, route.cursor, skip);
    if (i < 0) return undefined;
    route.cursor = i + 1;
    const target = route.backends[i]!;
    this.load.set(target.taskId, this.loadOf(target.taskId) + 1);
    return target;
  }

  /** A connection to the task ended. */
  release(taskId: string): void {
    const n = this.loadOf(taskId) - 1;
    if (n > 0) this.load.set(taskId, n);
    else this.load.delete(taskId);
  }

  open(taskId: string): number {
    return this.loadOf(taskId);
  }
}
