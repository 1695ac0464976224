import net from 'node:net';
import type { Cancel, MeshListener } from '@shoal/api';
import { formatAddr, type Route, type Target } from './balancer.js';
import type { MeshContext } from './context.js';

/**
 * One proxied connection: the client's socket and, once chosen, the backend's. The socket event handlers below are
 * shared functions that find their connection through the socket (no closures per connection: 10,000 idle
 * connections must stay cheap).
 */
class Conn {
  upstream: Linked | undefined = undefined;
  target: Target | undefined = undefined;
  /** Tasks already tried for this connection (made on the first failure only). */
  tried: Set<string> | undefined = undefined;
  cancelTimer: Cancel | undefined = undefined;
  connected = false;
  clientClosed = false;
  clientError = false;
  upstreamError: Error | undefined = undefined;

  constructor(readonly client: Linked, readonly listener: TcpListener) {}
}

const CONN = Symbol('mesh.conn');
const PEER = Symbol('mesh.peer');
type Linked = net.Socket & { [CONN]?: Conn; [PEER]?: Linked };

class ConnectTimeout extends Error {
  constructor(ms: number) { super(`connect timeout after ${ms} ms`); }
}

// Bytes both ways, with backpressure: a socket whose peer cannot take more pauses until the peer drains.
function onData(this: Linked, chunk: Buffer): void {
  if (!this[PEER]!.write(chunk)) this.pause();
}
function onDrain(this: Linked): void {
  const peer = this[PEER];
  if (peer && !peer.destroyed) peer.resume();
}
// Half-closes pass through: the end of one side's stream ends the other's (allowHalfOpen on both sockets).
function onEnd(this: Linked): void {
  this[PEER]!.end();
}
function onClientError(this: Linked): void {
  this[CONN]!.clientError = true;
}
function onClientClose(this: Linked): void {
  const conn = this[CONN]!;
  conn.listener.clientClosed(conn);
}
function onUpstreamError(this: Linked, err: Error): void {
  const conn = this[CONN]!;
  if (conn.upstream === this) conn.upstreamError = err;
}
function onUpstreamConnect(this: Linked): void {
  const conn = this[CONN]!;
  conn.listener.upstreamConnected(conn, this);
}
function onUpstreamClose(this: Linked): void {
  const conn = this[CONN]!;
  conn.listener.upstreamClosed(conn, this);
}

/**
 * A TCP listener of the routing mesh on one host and port. Each accepted connection is held paused (what the
 * client sends waits in its socket) while a backend is chosen and connected; a backend that refuses, is
 * unreachable or does not answer within the connect timeout is skipped for another. Then bytes flow both ways with
 * backpressure and half-closes pass through.
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
      server.listen({ host: this.host, port: this.port, backlog: 4096 }, () => {
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
      c.cancelTimer = undefined;
      c.client.destroy();
      c.upstream?.destroy();
    }
    if (this.sockets > 0) await new Promise<void>((resolve) => { this.drained = resolve; });
    await closed;
  }

  private accept(socket: net.Socket): void {
    this.total++;
    const route = this.ctx.routes.get(this.key);
    if (this.closing || !route || route.backends.length === 0) {
      this.failures++;
      socket.resetAndDestroy();
      return;
    }
    const client = socket as Linked;
    const conn = new Conn(client, this);
    client[CONN] = conn;
    this.active++;
    this.sockets++;
    this.conns.add(conn);
    client.on('error', onClientError);
    client.on('close', onClientClose);
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
    conn.upstreamError = undefined;
    const up: Linked = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    up[CONN] = conn;
    conn.upstream = up;
    this.sockets++;
    up.on('error', onUpstreamError);
    up.once('connect', onUpstreamConnect);
    up.on('close', onUpstreamClose);
    const ms = this.ctx.connectTimeoutMs;
    conn.cancelTimer = this.ctx.clock.setTimeout(() => up.destroy(new ConnectTimeout(ms)), ms);
  }

  /** @internal */
  upstreamConnected(conn: Conn, up: Linked): void {
    conn.cancelTimer?.();
    conn.cancelTimer = undefined;
    if (conn.upstream !== up) return;
    conn.connected = true;
    const client = conn.client;
    client[PEER] = up;
    up[PEER] = client;
    up.on('data', onData);
    up.on('drain', onDrain);
    up.on('end', onEnd);
    client.on('data', onData);
    client.on('drain', onDrain);
    client.on('end', onEnd);
    client.resume();
  }

  /** @internal */
  upstreamClosed(conn: Conn, up: Linked): void {
    this.socketClosed();
    if (conn.upstream !== up) return;
    conn.cancelTimer?.();
    conn.cancelTimer = undefined;
    conn.upstream = undefined;
    this.ctx.release(conn.target!.taskId);
    const error = conn.upstreamError;
    if (!conn.connected) {
      if (conn.clientClosed || this.closing) return;
      this.ctx.logger.debug({ addr: this.addr, task: conn.target!.taskId, err: error?.message }, 'mesh: backend connect failed');
      // Nothing has been read from the client yet: try another backend.
      (conn.tried ??= new Set()).add(conn.target!.taskId);
      const now = this.ctx.routes.get(this.key);
      if (now) this.connect(conn, now);
      else {
        this.failures++;
        conn.client.resetAndDestroy();
      }
      return;
    }
    // The backend is gone: so is the client's side, unless the backend ended cleanly and what it sent is still
    // being flushed to the client (which then closes by itself).
    if (!conn.clientClosed && (error !== undefined || !conn.client.writableEnded)) conn.client.destroy();
  }

  /** @internal */
  clientClosed(conn: Conn): void {
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
