import type { Clock, EndpointTable, Logger, MeshListener } from '@shoal/api';
import { RouteTable, type Protocol, type RouteChanges } from './balancer.js';
import { MeshContext } from './context.js';
import { TcpListener } from './tcp-listener.js';
import { UdpListener } from './udp-listener.js';

export interface MeshOptions {
  /** The addresses to listen on: the node's advertise address and any --mesh-listen ones. */
  listenHosts: string[];
  logger: Logger;
  clock: Clock;
  /** How long a backend may take to accept a connection before another is tried (default 3 s: a dropped SYN is
   *  sent again after 1 s, so a busy backend still gets its second chance). Timed by the proxy's own clock. */
  connectTimeoutMs?: number;
  /** How long a UDP client flow lives without a datagram either way (default 30 s). */
  udpIdleMs?: number;
}

/** What the agent needs of its routing mesh, whether on the agent's thread (Mesh) or on its own (MeshThread). */
export interface RoutingMesh {
  /** Applies a table message (in order: a table waits for the one before it). */
  apply(table: EndpointTable): Promise<void>;
  /** One entry per listener (per host × port × protocol), for heartbeats. */
  listeners(): MeshListener[];
  /** Connections this mesh has open to a backend task now. */
  openConnections(taskId: string): Promise<number>;
  /** Closes every listener and every proxied connection. */
  close(): Promise<void>;
}

interface Listener {
  readonly addr: string;
  readonly host: string;
  readonly port: number;
  readonly key: string;
  readonly protocol: Protocol;
  serviceName: string;
  readonly listening: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  stats(): MeshListener;
  tableChanged?(): void;
}

/**
 * The routing mesh's data plane on one node: for each published ingress port, a listener on every listen host
 * forwarding each connection (or UDP client flow) to a backend task of the service on any node, least connections
 * first, ties round-robin.
 */
export class Mesh implements RoutingMesh {
  private readonly routes = new RouteTable();
  private readonly ctx: MeshContext;
  /** By `${protocol}/${port}@${host}`. */
  private readonly byKey = new Map<string, Listener>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: MeshOptions) {
    this.ctx = new MeshContext(this.routes, opts.logger, opts.clock, opts.connectTimeoutMs ?? 3_000, opts.udpIdleMs ?? 30_000);
  }

  /**
   * Applies a table message: opens/closes listeners per (publishedPort, protocol) on every listen host, swaps
   * backends (existing connections to a removed backend continue). Listeners that could not bind are tried again.
   */
  apply(table: EndpointTable): Promise<void> {
    const run = this.queue.then(() => this.applyNow(table));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One entry per listener (per host × port × protocol), for heartbeats. */
  listeners(): MeshListener[] {
    const out: MeshListener[] = [];
    for (const l of this.byKey.values()) out.push(l.stats());
    return out;
  }

  /** Connections this mesh has open to a backend task now. */
  openConnections(taskId: string): Promise<number> {
    return Promise.resolve(this.ctx.open(taskId));
  }

  /** Closes every listener and every proxied connection. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const all = [...this.byKey.values()];
    this.byKey.clear();
    await Promise.all(all.map((l) => l.close()));
    this.ctx.tcp.close();
  }

  private async applyNow(table: EndpointTable): Promise<void> {
    if (this.closed) return;
    const changes = this.routes.apply(table);
    for (const c of changes.conflicts) this.opts.logger.warn({ conflict: c }, 'mesh: a published port is claimed by two services');
    this.updateTcpRoutes(changes);
    const wanted = new Map<string, { key: string; protocol: Protocol; port: number; host: string; serviceName: string }>();
    for (const r of this.routes.all()) {
      for (const host of this.opts.listenHosts) {
        wanted.set(`${r.key}@${host}`, { key: r.key, protocol: r.protocol, port: r.port, host, serviceName: r.serviceName });
      }
    }
    const closing: Promise<void>[] = [];
    for (const [k, l] of this.byKey) {
      if (wanted.has(k)) continue;
      this.byKey.delete(k);
      closing.push(l.close());
    }
    await Promise.all(closing);
    this.dropTcpRoutes();
    const opening: Promise<void>[] = [];
    for (const [k, w] of wanted) {
      let l = this.byKey.get(k);
      if (!l) {
        l = w.protocol === 'udp'
          ? new UdpListener(w.host, w.port, w.key, w.serviceName, this.ctx)
          : new TcpListener(w.host, w.port, w.key, w.serviceName, this.ctx);
        this.byKey.set(k, l);
      }
      l.serviceName = w.serviceName;
      l.tableChanged?.();
      if (!l.listening) opening.push(l.open());
    }
    await Promise.all(opening);
  }

  /** The native proxy's routes follow the TCP routes: all of them after a rebuild, else the backends changed. */
  private updateTcpRoutes(changes: RouteChanges): void {
    const proxy = this.ctx.tcp;
    const idOf = (key: string): number => {
      let id = this.ctx.tcpRoutes.get(key);
      if (id === undefined) this.ctx.tcpRoutes.set(key, (id = proxy.newRoute()));
      return id;
    };
    if (changes.rebuilt) {
      for (const r of this.routes.all()) if (r.protocol === 'tcp') proxy.setBackends(idOf(r.key), r.backends);
      return;
    }
    for (const p of changes.patched) if (p.route.protocol === 'tcp') proxy.patchBackends(idOf(p.route.key), p.removed, p.added);
  }

  /** Frees the proxy's routes of ports no longer published (their listeners are closed by then). */
  private dropTcpRoutes(): void {
    for (const [key, id] of this.ctx.tcpRoutes) {
      if (this.routes.get(key)) continue;
      this.ctx.tcp.deleteRoute(id);
      this.ctx.tcpRoutes.delete(key);
    }
  }
}
