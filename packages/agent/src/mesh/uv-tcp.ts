import net from 'node:net';
import util from 'node:util';

/**
 * libuv TCP handles from Node's own binding (`tcp_wrap`, the layer `net` is built on), without `net.Socket`'s stream
 * machinery. Why: through `net`, the mesh spent ≈ 100 µs of JavaScript per proxied connection (two Sockets with
 * their stream state, events and teardown) on top of the kernel's ≈ 120 µs, and could not reach HAProxy's rate of new
 * connections; on these handles it spends ≈ 35 µs (docs/benchmarks.md, bench/mesh). The binding is not a public
 * API (`process.binding` is deprecated in the docs, DEP0111), so its shape is checked when this module loads: a Node
 * without it fails at once, with this module named, instead of misbehaving later.
 */

/** A libuv TCP handle (a listening socket or a connection). Calls return 0 or a negative errno. */
export interface UvTcp {
  /** Called per read, its byte count in `readBytes()` (the bytes in the handle's user buffer); EOF and errors come
   *  as a negative count. */
  onread: ((this: UvTcp) => void) | null;
  onconnection: ((this: UvTcp, status: number, client: UvTcp | undefined) => void) | null;
  readStart(): number;
  readStop(): number;
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  shutdown(req: ShutdownReq): number;
  setNoDelay(on: boolean): number;
  bind(host: string, port: number): number;
  bind6(host: string, port: number, flags: number): number;
  listen(backlog: number): number;
  connect(req: ConnectReq, host: string, port: number): number;
  connect6(req: ConnectReq, host: string, port: number): number;
  /** Closes; `onClose` (when given) is called with the handle as `this` once libuv has let go of it. */
  close(onClose?: (this: UvTcp) => void): void;
  /** Closes with a reset (SO_LINGER 0): the peer gets RST, not FIN. */
  reset(onClose: (this: UvTcp) => void): number;
  /** Reads go into `buffer` (from its start; `onread` gets no buffer of its own) instead of a new one each. */
  useUserBuffer(buffer: Uint8Array): number;
}

/** A request object: the binding calls `oncomplete(status)` on it, with the request as `this`. */
export interface UvReq<T> {
  oncomplete: (this: T, status: number) => void;
  handle?: UvTcp;
  /** What the request needs kept alive until it completes. */
  data?: unknown;
}
export type ConnectReq = UvReq<ConnectReq>;
export type WriteReq = UvReq<WriteReq>;
export type ShutdownReq = UvReq<ShutdownReq>;

interface TcpWrapBinding {
  TCP: new (type: number) => UvTcp;
  TCPConnectWrap: new () => ConnectReq;
  constants: { SOCKET: number; SERVER: number };
}
interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  ShutdownWrap: new () => ShutdownReq;
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
}

function load(): { tcp: TcpWrapBinding; stream: StreamWrapBinding } {
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  const tcp = binding?.('tcp_wrap') as Partial<TcpWrapBinding> | undefined;
  const stream = binding?.('stream_wrap') as Partial<StreamWrapBinding> | undefined;
  const proto = tcp?.TCP?.prototype as Partial<UvTcp> | undefined;
  const ok = typeof tcp?.TCPConnectWrap === 'function' && typeof tcp.constants?.SERVER === 'number'
    && typeof proto?.connect === 'function' && typeof proto.reset === 'function' && typeof proto.writeBuffer === 'function'
    && typeof proto.useUserBuffer === 'function'
    && typeof stream?.WriteWrap === 'function' && typeof stream.ShutdownWrap === 'function'
    && stream.streamBaseState instanceof Int32Array && typeof stream.kReadBytesOrError === 'number'
    && typeof stream.kLastWriteWasAsync === 'number';
  if (!ok) throw new Error(`routing mesh: this Node (${process.version}) lacks the tcp_wrap/stream_wrap bindings it forwards with`);
  return { tcp: tcp as TcpWrapBinding, stream: stream as StreamWrapBinding };
}

const { tcp, stream } = load();
const state = stream.streamBaseState;
const READ_BYTES = stream.kReadBytesOrError;
const WRITE_ASYNC = stream.kLastWriteWasAsync;

/** libuv's end of stream, as a read's `nread`. */
export const UV_EOF = -4095;

/** The last read's byte count (> 0), or 0, or a negative errno (UV_EOF at the end); valid inside `onread` only. */
export function readBytes(): number {
  return state[READ_BYTES]!;
}

/**
 * Whether the last `writeBuffer` was queued (its request completes later, and the bytes must stay as they are until
 * then: libuv writes from them) rather than written at once (the request and the bytes are free again).
 */
export function lastWriteWasAsync(): boolean {
  return state[WRITE_ASYNC] !== 0;
}

export function newWriteReq(): WriteReq {
  return new stream.WriteWrap();
}

export function newShutdownReq(): ShutdownReq {
  return new stream.ShutdownWrap();
}

/** "ECONNREFUSED: connection refused", from a negative errno. */
export function errnoText(status: number): string {
  const entry = util.getSystemErrorMap().get(status);
  return entry ? `${entry[0]}: ${entry[1]}` : `error ${status}`;
}

/**
 * A listening handle on an IP address and port, or the reason it cannot be one (in `net`'s words: "listen
 * EADDRINUSE: address already in use 127.0.0.1:8080").
 */
export function listenTcp(ip: string, port: number, backlog: number): UvTcp | string {
  const handle = new tcp.TCP(tcp.constants.SERVER);
  let err = net.isIPv6(ip) ? handle.bind6(ip, port, 0) : handle.bind(ip, port);
  const call = err ? 'bind' : 'listen';
  if (!err) err = handle.listen(backlog);
  if (!err) return handle;
  handle.close(() => undefined);
  return `${call} ${errnoText(err)} ${net.isIPv6(ip) ? `[${ip}]` : ip}:${port}`;
}

/**
 * Starts connecting a new handle to an IP address; `req.oncomplete` gets the outcome. Returns the handle, or a
 * negative errno when the connect could not even start (the handle is then closed).
 */
export function connectTcp(req: ConnectReq, ip: string, port: number): UvTcp | number {
  const handle = new tcp.TCP(tcp.constants.SOCKET);
  const family = net.isIP(ip);
  const err = family === 4 ? handle.connect(req, ip, port) : family === 6 ? handle.connect6(req, ip, port) : -22; // EINVAL
  if (err === 0) return handle;
  handle.close(() => undefined);
  return err;
}

export function newConnectReq(): ConnectReq {
  return new tcp.TCPConnectWrap();
}
