import { lookup } from 'node:dns/promises';
import net from 'node:net';
import type { Cancel, MeshListener } from '@shoal/api';
import { formatAddr, type Route, type Target } from './balancer.js';
import type { MeshContext } from './context.js';
import {
  connectTcp, errnoText, lastWriteWasAsync, listenTcp, newConnectReq, newShutdownReq, newWriteReq, readBytes,
  UV_EOF, type ConnectReq, type ShutdownReq, type UvTcp, type WriteReq,
} from './uv-tcp.js';

const END = Symbol('mesh.end');
type Tagged<T> = T & { [END]?: End };

/**
 * One side of a proxied connection: the client's socket or a backend's. What is read from one side is written to
 * the other; a side closes once nothing more comes from it (EOF read) and nothing more goes to it (the other
 * side's EOF passed on, its writes flushed).
 */
class End {
  peer: End | undefined = undefined;
  /** EOF was read from this side. */
  readEnded = false;
  /** A shutdown (our FIN to it) is queued behind the writes to this side. */
  shutting = false;
  /** That shutdown is done: every byte for this side has been handed to the kernel. */
  writesEnded = false;
  /** Writes to this side libuv still queues (their source is not read meanwhile: backpressure). */
  writing = 0;
  closed = false;

  constructor(readonly conn: Conn, readonly handle: Tagged<UvTcp>, readonly target?: Target) {
    handle[END] = this;
    handle.onread = onRead;
    handle.useUserBuffer(readBuffer);
  }
}

/** One proxied connection: the client's side and, once chosen, the backend's. */
class Conn {
  readonly client: End;
  upstream: End | undefined = undefined;
  /** Tasks already tried for this connection (made on the first failure only). */
  tried: Set<string> | undefined = undefined;
  cancelTimer: Cancel | undefined = undefined;
  aborted = false;

  constructor(readonly listener: TcpListener, client: UvTcp) {
    this.client = new End(this, client);
  }
}

/**
 * Every socket of this thread reads into this one buffer, and what a read brings is copied out at once (into Node's
 * buffer pool when small) — cheaper than the binding's own way, a new 64 KiB allocation per read cut down to size,
 * and an idle connection holds no buffer.
 */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024);
/** A write request that completed at once is free for the next write (one that is queued keeps its own). */
let spareWriteReq: Tagged<WriteReq> | undefined;

// The binding's callbacks are shared functions that find their side through `this` (the handle or the request):
// no closures per connection, so 10,000 idle connections stay cheap.
function onRead(this: Tagged<UvTcp>): void {
  const end = this[END]!;
  const n = readBytes();
  if (n > 0) end.conn.listener.forward(end, Buffer.from(readBuffer.subarray(0, n)));
  else if (n === UV_EOF) end.conn.listener.ended(end);
  else if (n < 0) end.conn.listener.abort(end.conn);
}
function onWritten(this: Tagged<WriteReq>, status: number): void {
  this[END]!.conn.listener.written(this[END]!, status);
}
function onShutdown(this: Tagged<ShutdownReq>, status: number): void {
  this[END]!.conn.listener.shutDown(this[END]!, status);
}
function onConnect(this: Tagged<ConnectReq>, status: number): void {
  this[END]!.conn.listener.connected(this[END]!, status);
}
function onClosed(this: Tagged<UvTcp>): void {
  this[END]!.conn.listener.socketClosed();
}

/**
 * A TCP listener of the routing mesh on one host and port, on libuv's handles (uv-tcp.ts). Each accepted
 * connection is not read (what the client sends waits in its socket) while a backend is chosen and connected; a
 * backend that refuses, is unreachable or does not answer within the connect timeout is skipped for another. Then
 * bytes flow both ways with backpressure (a side is not read while its last write to the other is queued) and
 * half-closes pass through.
 */
export class TcpListener {
  readonly protocol = 'tcp';
  readonly addr: string;
  serviceName: string;
  error = '';
  private server: UvTcp | undefined;
  private readonly conns = new Set<Conn>();
  private active = 0;
  private total = 0;
  private failures = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  /** Handles (listening, client and backend) not closed yet, or closing since close() began; close() waits for none. */
  private handles = 0;
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
    let result: UvTcp | string;
    try {
      const ip = net.isIP(this.host) ? this.host : (await lookup(this.host)).address;
      result = this.closing ? 'closed' : listenTcp(ip, this.port, 4096);
    } catch (err) {
      result = `cannot resolve ${this.host}: ${(err as Error).message}`;
    }
    if (typeof result === 'string') {
      if (this.closing) return;
      this.error = result;
      this.ctx.logger.warn({ addr: this.addr, err: result }, 'mesh: cannot listen');
      return;
    }
    this.error = '';
    this.handles++;
    result.setNoDelay(true); // accepted sockets inherit it: no setsockopt per connection
    result.onconnection = (status, client) => this.accept(status, client);
    this.server = result;
  }

  stats(): MeshListener {
    return {
      addr: this.addr, protocol: 'tcp', serviceName: this.serviceName, active: this.active, total: this.total,
      failures: this.failures, bytesIn: this.bytesIn, bytesOut: this.bytesOut, error: this.error,
    };
  }

  /** Stops accepting, ends every connection it proxies (both sides), and waits for their handles to close. */
  async close(): Promise<void> {
    this.closing = true;
    const server = this.server;
    this.server = undefined;
    if (server) server.close(() => this.socketClosed());
    for (const c of this.conns) this.abort(c);
    if (this.handles > 0) await new Promise<void>((resolve) => { this.drained = resolve; });
  }

  private accept(status: number, handle: UvTcp | undefined): void {
    if (status < 0 || !handle) {
      this.failures++;
      this.ctx.logger.debug({ addr: this.addr, err: errnoText(status) }, 'mesh: accept failed');
      return;
    }
    this.total++;
    this.handles++;
    const conn = new Conn(this, handle);
    const route = this.ctx.routes.get(this.key);
    if (this.closing || !route || route.backends.length === 0) {
      this.failures++;
      this.closeEnd(conn.client, true);
      return;
    }
    this.active++;
    this.conns.add(conn);
    this.connect(conn, route);
  }

  private connect(conn: Conn, route: Route): void {
    for (;;) {
      const target = this.ctx.pick(route, conn.tried);
      if (!target) {
        this.failures++;
        this.abort(conn, true);
        return;
      }
      const req: Tagged<ConnectReq> = newConnectReq();
      req.oncomplete = onConnect;
      const handle = connectTcp(req, target.host, target.port);
      if (typeof handle === 'number') { // could not even start (not an IP address…): the next backend
        this.ctx.release(target.taskId);
        this.ctx.logger.debug({ addr: this.addr, task: target.taskId, err: errnoText(handle) }, 'mesh: backend connect failed');
        (conn.tried ??= new Set()).add(target.taskId);
        continue;
      }
      this.handles++;
      const up = new End(conn, handle, target);
      req[END] = up;
      conn.upstream = up;
      handle.setNoDelay(true);
      // Reading is armed with the connect (libuv reads nothing before it completes): one epoll registration for
      // both instead of one for the connect and another for the reads.
      handle.readStart();
      const ms = this.ctx.connectTimeoutMs;
      conn.cancelTimer = this.ctx.clock.setTimeout(() => this.connectFailed(up, `connect timeout after ${ms} ms`), ms);
      return;
    }
  }

  /** @internal */
  connected(up: End, status: number): void {
    if (up.closed) return; // given up on (timeout, close): libuv cancels the connect
    if (status < 0) {
      this.connectFailed(up, errnoText(status));
      return;
    }
    const conn = up.conn;
    conn.cancelTimer?.();
    conn.cancelTimer = undefined;
    up.peer = conn.client;
    conn.client.peer = up;
    conn.client.handle.readStart();
  }

  private connectFailed(up: End, why: string): void {
    const conn = up.conn;
    conn.cancelTimer?.();
    conn.cancelTimer = undefined;
    this.closeEnd(up);
    conn.upstream = undefined;
    if (conn.aborted || this.closing) return;
    this.ctx.logger.debug({ addr: this.addr, task: up.target!.taskId, err: why }, 'mesh: backend connect failed');
    // Nothing has been read from the client yet: try another backend.
    (conn.tried ??= new Set()).add(up.target!.taskId);
    const now = this.ctx.routes.get(this.key);
    if (now) this.connect(conn, now);
    else {
      this.failures++;
      this.abort(conn, true);
    }
  }

  /** @internal Bytes read from one side: to the other, and that side is not read while they are queued. */
  forward(from: End, data: Uint8Array): void {
    const to = from.peer!;
    if (from === from.conn.client) this.bytesIn += data.length;
    else this.bytesOut += data.length;
    const req: Tagged<WriteReq> = spareWriteReq ?? newWriteReq();
    spareWriteReq = undefined;
    req.oncomplete = onWritten;
    req[END] = to;
    if (to.handle.writeBuffer(req, data) < 0) {
      this.abort(from.conn);
      return;
    }
    if (lastWriteWasAsync()) {
      req.data = data; // libuv writes from it later: it lives as long as the request
      to.writing++;
      from.handle.readStop();
      return;
    }
    spareWriteReq = req;
  }

  /** @internal A queued write to `to` finished: its source is read again. */
  written(to: End, status: number): void {
    to.writing--;
    if (to.closed) return;
    if (status < 0) this.abort(to.conn);
    else if (to.writing === 0 && !to.peer!.readEnded) to.peer!.handle.readStart();
  }

  /** @internal EOF from one side: that direction is over, so the other side gets its FIN (after its writes). */
  ended(end: End): void {
    end.readEnded = true; // libuv stopped reading it
    if (end.writesEnded) this.closeEnd(end);
    const peer = end.peer!;
    if (peer.closed || peer.shutting) return;
    if (peer.readEnded && peer.writing === 0) this.closeEnd(peer); // both directions over: close sends the FIN
    else {
      peer.shutting = true;
      const req: Tagged<ShutdownReq> = newShutdownReq();
      req.oncomplete = onShutdown;
      req[END] = peer;
      if (peer.handle.shutdown(req) < 0) this.abort(end.conn);
    }
  }

  /** @internal */
  shutDown(end: End, status: number): void {
    if (end.closed) return;
    if (status < 0) this.abort(end.conn);
    else {
      end.writesEnded = true;
      if (end.readEnded) this.closeEnd(end);
    }
  }

  /** @internal Ends the connection at once, both sides (a reset to the client when `reset`). */
  abort(conn: Conn, reset = false): void {
    conn.aborted = true;
    conn.cancelTimer?.();
    conn.cancelTimer = undefined;
    this.closeEnd(conn.client, reset);
    if (conn.upstream) this.closeEnd(conn.upstream);
  }

  private closeEnd(end: End, reset = false): void {
    if (end.closed) return;
    end.closed = true;
    const conn = end.conn;
    if (end.target) this.ctx.release(end.target.taskId);
    else if (this.conns.delete(conn)) this.active--;
    if (reset) {
      if (end.handle.reset(onClosed) < 0) end.handle.close(onClosed);
    } else if (this.closing) {
      end.handle.close(onClosed);
    } else {
      // A connection's own end needs no word back (a callback into JavaScript per socket saved): libuv finishes the
      // close within this loop turn. Only close() waits for its handles.
      end.handle.close();
      this.socketClosed();
    }
  }

  /** @internal */
  socketClosed(): void {
    this.handles--;
    if (this.handles === 0 && this.drained) {
      const d = this.drained;
      this.drained = undefined;
      d();
    }
  }
}
