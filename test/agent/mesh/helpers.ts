import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import type { Backend, Endpoint, EndpointTable } from '@shoal/api';

export function backend(taskId: string, addr: string, nodeId = 'n1'): Backend {
  return { taskId, nodeId, addr };
}

export function endpoint(publishedPort: number, backends: Backend[], over: Partial<Endpoint> = {}): Endpoint {
  return { serviceId: 'svc1', serviceName: 'web', protocol: 'tcp', publishedPort, targetPort: 80, backends, ...over };
}

export function table(endpoints: Endpoint[], over: Partial<EndpointTable> = {}): EndpointTable {
  return { full: true, endpoints, removedServices: [], backendChanges: [], ...over };
}

/** A free loopback TCP port now (a UDP one too, most likely). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A loopback TCP backend: echoes with a prefix, or runs the given handler; counts and closes its sockets. */
export class TestServer {
  readonly sockets = new Set<net.Socket>();
  accepted = 0;
  private readonly server: net.Server;
  port = 0;

  constructor(handler?: (s: net.Socket) => void, readonly name = 'b') {
    this.server = net.createServer({ allowHalfOpen: true }, (s) => {
      this.accepted++;
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
      if (handler) handler(s);
      else {
        s.on('data', (d) => s.write(`${this.name}:${d.toString()}`));
        s.on('end', () => s.end());
      }
    });
  }

  get addr(): string {
    return `127.0.0.1:${this.port}`;
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A client socket with its received bytes and end/close observed as promises. */
export class Client {
  readonly socket: net.Socket;
  received = '';
  readonly connected: Promise<void>;
  readonly ended: Promise<void>;
  readonly closed: Promise<boolean>;
  private waiters: { text: string; resolve: () => void }[] = [];

  constructor(port: number, host = '127.0.0.1') {
    this.socket = net.connect({ port, host, allowHalfOpen: true });
    this.socket.on('error', () => undefined);
    this.connected = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.ended = new Promise((resolve) => this.socket.once('end', () => resolve()));
    this.closed = new Promise((resolve) => this.socket.once('close', (hadError) => resolve(hadError)));
    this.socket.on('data', (d) => {
      this.received += d.toString();
      this.waiters = this.waiters.filter((w) => {
        if (!this.received.includes(w.text)) return true;
        w.resolve();
        return false;
      });
    });
  }

  /** Resolves once `text` has arrived. */
  waitFor(text: string): Promise<void> {
    if (this.received.includes(text)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ text, resolve }));
  }

  async send(text: string, expect: string): Promise<void> {
    this.socket.write(text);
    await this.waitFor(expect);
  }
}

/**
 * A backend that never answers a connect: a listening socket (python3's, listen backlog 0) that never accepts,
 * its accept queue filled by one connection, so the kernel drops further SYNs. `close()` ends both.
 */
export async function unansweringBackend(): Promise<{ addr: string; close(): Promise<void> }> {
  const child = spawn('python3', ['-c', [
    'import socket, sys',
    's = socket.socket()',
    's.bind(("127.0.0.1", 0))',
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
  });
  const filler = net.connect({ port, host: '127.0.0.1' });
  filler.on('error', () => undefined);
  await new Promise<void>((resolve) => filler.once('connect', () => resolve()));
  return {
    addr: `127.0.0.1:${port}`,
    async close() {
      filler.destroy();
      child.stdin.end();
      await exited;
    },
  };
}

/** Sockets this process holds open (its own and the native proxy's alike), from /proc/self/fd. */
export function openSockets(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed while listed
    }
  }
  return n;
}
