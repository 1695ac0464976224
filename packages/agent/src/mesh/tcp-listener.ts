import { lookup } from 'node:dns/promises';
import net from 'node:net';
import type { MeshListener } from '@shoal/api';
import { formatAddr } from './balancer.js';
import type { MeshContext } from './context.js';

/**
 * A TCP listener of the routing mesh on one host and port: a listener of the mesh's native proxy (tcp-proxy.ts),
 * which accepts, connects each connection to a backend of the route (one that refuses, is unreachable or does not
 * answer within the connect timeout is skipped for another; nothing is read from the client meanwhile) and forwards
 * both ways with backpressure and half-closes.
 */
export class TcpListener {
  readonly protocol = 'tcp';
  readonly addr: string;
  serviceName: string;
  error = '';
  /** The proxy's listener, while listening. */
  private id: number | undefined;
  private closing = false;

  constructor(
    readonly host: string,
    readonly port: number,
    readonly key: string,
    serviceName: string,
    private readonly ctx: MeshContext,
  ) {
    this.addr = formatAddr(host, port);
    this.serviceName = serviceName;
  }

  get listening(): boolean {
    return this.id !== undefined;
  }

  /** Binds; a failure (the port is taken…) is kept as the listener's error, not thrown. */
  async open(): Promise<void> {
    if (this.id !== undefined || this.closing) return;
    let result: number | string;
    try {
      const ip = net.isIP(this.host) ? this.host : (await lookup(this.host)).address;
      const route = this.ctx.tcpRoutes.get(this.key);
      if (this.closing || route === undefined) return;
      result = this.ctx.tcp.listen(ip, this.port, route);
      if (typeof result === 'string') result = `${result} ${formatAddr(ip, this.port)}`; // "bind EADDRINUSE: … 127.0.0.1:8080"
    } catch (err) {
      result = `cannot resolve ${this.host}: ${(err as Error).message}`;
    }
    if (typeof result === 'string') {
      this.error = result;
      this.ctx.logger.warn({ addr: this.addr, err: result }, 'mesh: cannot listen');
      return;
    }
    this.error = '';
    this.id = result;
  }

  stats(): MeshListener {
    const c = this.id === undefined ? { active: 0, total: 0, failures: 0, bytesIn: 0, bytesOut: 0 } : this.ctx.tcp.counters(this.id);
    return { addr: this.addr, protocol: 'tcp', serviceName: this.serviceName, ...c, error: this.error };
  }

  /** Stops accepting and ends every connection it proxies (both sides). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.id !== undefined) this.ctx.tcp.closeListener(this.id);
    this.id = undefined;
  }
}
