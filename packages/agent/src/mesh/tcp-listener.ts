import net from 'node:net';
import type { Cancel, MeshListener } from '@shoal/api';
import { formatAddr, type Route, type Target } from './balancer.js';
import type { MeshContext } from './context.js';

/** One proxied connection: the client's socket and, once chosen, the backend's. */
class Conn {
  upstream: net.Socket | undefined = undefined;
  target: Target | undefined = undefined;
  /** Tasks already tried for this connection (made on the first failure only). */
  tried: Set<string> | undefined = undefined;
  cancelTimer: Cancel | undefined = undefined;
  connected = false;
  clientClosed = false;
  clientError = false;

  constructor(readonly client: net.Socket) {}
}

class ConnectTimeout extends Error {
  constructor(ms: number) { super(`connect timeout after ${ms} ms`); }
}

/**
 * A TCP listener of the routing mesh on one host and port. Each accepted connection is held paused (what the
 * client sends waits in its socket) while a backend is chosen and connected; a backend that refuses, is
 * unreachable or does not answer within the connect timeout is skipped for another. Then bytes flow both ways with
 * backpressure (pipe) and half-closes pass through (allowHalfOpen on both sockets).
 */
export class TcpListener {
  readonly protocol = 'tcp';
  readonly addr: string;
  serviceName: string;
  error = '';
  private server: net.Server | undefined;
  private readonly conns = new Set<Conn>();
  private active = 0;
  private total = 0;
  private failures = 0;
  private closedIn = 0;
  private closedOut = 0;
  /** Sockets (client and upstream) not closed yet; close() waits for none. */
  private sockets = 0;
  private drained: (() => void) | undefined;
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
    return this.server !== undefined;
  }

  /** Binds; a failure (the port is taken…) is kept as the listener's error, not thrown. */
  async open(): Promise<void> {
    if (this.server || this.closing) return;
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (s) => this.accept(s));
    const err = await new Promise<Error | undefined>((resolve) => {
      const onError = (e: Error): void => resolve(e);
      server.once('error', onError);
      server.listen({ host: this.host, port: this.port }, () => {
        server.off('error', onError);
        resolve(undefined);
      });
    });
    if (err) {
      this.error = err.message;
      this.ctx.logger.warn({ addr: this.addr, err: err.message }, 'mesh: cannot listen');
      server.close();
      return;
    }
    if (this.closing) {
      server.close();
      return;
    }
    this.error = '';
    server.on('error', (e) => this.ctx.logger.warn({ addr: this.addr, err: e.message }, 'mesh: listener error'));
    this.server = server;
  }

  stats(): MeshListener {
    let bytesIn = this.closedIn;
    let bytesOut = this.closedOut;
    for (const c of this.conns) {
      bytesIn += c.client.bytesRead;
      bytesOut += c.client.bytesWritten;
    }
    return {
      addr: this.addr, protocol: 'tcp', serviceName: this.serviceName, active: this.active, total: this.total,
      failures: this.failures, bytesIn, bytesOut, error: this.error,
    };
  }

  /** Stops accepting, ends every connection it proxies (both sockets), and waits for their handles to close. */
  async close(): Promise<void> {
    this.closing = true;
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const c of this.conns) {
      c.cancelTimer?.();
      c.client.destroy();
      c.upstream?.destroy();
    }
    if (this.sockets > 0) await new Promise<void>((resolve) => { this.drained = resolve; });
    await closed;
  }

  private accept(client: net.Socket): void {
    this.total++;
    const route = this.ctx.routes.get(this.key);
    if (this.closing || !route || route.backends.length === 0) {
      this.failures++;
      client.resetAndDestroy();
      return;
    }
    const conn = new Conn(client);
    this.active++;
    this.sockets++;
    this.conns.add(conn);
    client.on('error', () => { conn.clientError = true; });
    client.on('close', () => this.clientClosed(conn));
    this.connect(conn, route);
  }

  private connect(conn: Conn, route: Route): void {
    const target = this.ctx.pick(route, conn.tried);
    if (!target) {
      this.failures++;
      conn.client.resetAndDestroy();
      return;
    }
    conn.target = target;
    const up = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    conn.upstream = up;
    this.sockets++;
    conn.cancelTimer = this.ctx.clock.setTimeout(() => up.destroy(new ConnectTimeout(this.ctx.connectTimeoutMs)), this.ctx.connectTimeoutMs);
    let error: Error | undefined;
    up.on('error', (e) => { error = e; });
    up.once('connect', () => {
      conn.cancelTimer?.();
      conn.cancelTimer = undefined;
      conn.connected = true;
      conn.client.pipe(up);
      up.pipe(conn.client);
    });
    up.on('close', () => {
      conn.cancelTimer?.();
      conn.cancelTimer = undefined;
      this.ctx.release(target.taskId);
      this.socketClosed();
      if (conn.upstream === up) conn.upstream = undefined;
      if (!conn.connected) {
        if (conn.clientClosed || this.closing) return;
        this.ctx.logger.debug({ addr: this.addr, task: target.taskId, err: error?.message }, 'mesh: backend connect failed');
        // Nothing has been read from the client yet: try another backend.
        (conn.tried ??= new Set()).add(target.taskId);
        const now = this.ctx.routes.get(this.key);
        if (now) this.connect(conn, now);
        else {
          this.failures++;
          conn.client.resetAndDestroy();
        }
        return;
      }
      // The backend is gone: the client's side ends too, unless the backend ended cleanly and the client is
      // still being written to (pipe ends it once flushed).
      if (!conn.clientClosed && (error !== undefined || !conn.client.writableEnded)) conn.client.destroy();
    });
  }

  private clientClosed(conn: Conn): void {
    conn.clientClosed = true;
    this.active--;
    this.closedIn += conn.client.bytesRead;
    this.closedOut += conn.client.bytesWritten;
    this.conns.delete(conn);
    this.socketClosed();
    const up = conn.upstream;
    if (up && (conn.clientError || !conn.connected || !up.writableEnded)) up.destroy();
  }

  private socketClosed(): void {
    this.sockets--;
    if (this.sockets === 0 && this.drained) {
      const d = this.drained;
      this.drained = undefined;
      d();
    }
  }
}
