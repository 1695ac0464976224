import dgram from 'node:dgram';
import net from 'node:net';
import type { Cancel, MeshListener } from '@shoal/api';
import { formatAddr, type Target } from './balancer.js';
import type { MeshContext } from './context.js';

/** One client's flow: its own socket towards the backend chosen for its first datagram. */
interface Flow {
  readonly id: string;
  readonly clientHost: string;
  readonly clientPort: number;
  readonly target: Target;
  readonly sock: dgram.Socket;
  lastSeen: number;
  cancelTimer: Cancel | undefined;
}

function socketType(host: string): 'udp4' | 'udp6' {
  return net.isIPv6(host) ? 'udp6' : 'udp4';
}

/**
 * A UDP listener of the routing mesh on one host and port. Datagrams from one client (address and port) form a
 * flow that sticks to one backend (affinity): the flow has its own socket to the backend, whose replies go back to
 * the client from the listener's address (at most `udpMaxFlows` flows at a time: further clients' datagrams are dropped
 * and counted as failures). A flow ends after `udpIdleMs` without a datagram either way, or when its
 * backend leaves the table (UDP has no connection to keep; its next datagram picks a live backend).
 */
export class UdpListener {
  readonly protocol = 'udp';
  readonly addr: string;
  serviceName: string;
  error = '';
  private socket: dgram.Socket | undefined;
  private readonly flows = new Map<string, Flow>();
  private total = 0;
  private failures = 0;
  private bytesIn = 0;
  private bytesOut = 0;
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
    return this.socket !== undefined;
  }

  async open(): Promise<void> {
    if (this.socket || this.closing) return;
    const socket = dgram.createSocket({ type: socketType(this.host) });
    const err = await new Promise<Error | undefined>((resolve) => {
      const onError = (e: Error): void => resolve(e);
      socket.once('error', onError);
      socket.bind({ address: this.host, port: this.port, exclusive: true }, () => {
        socket.off('error', onError);
        resolve(undefined);
      });
    });
    if (err) {
      this.error = err.message;
      this.ctx.logger.warn({ addr: this.addr, err: err.message }, 'mesh: cannot listen');
      socket.close();
      return;
    }
    if (this.closing) {
      socket.close();
      return;
    }
    this.error = '';
    socket.on('error', (e) => this.ctx.logger.warn({ addr: this.addr, err: e.message }, 'mesh: udp listener error'));
    socket.on('message', (msg, rinfo) => this.fromClient(msg, rinfo));
    this.socket = socket;
  }

  stats(): MeshListener {
    return {
      addr: this.addr, protocol: 'udp', serviceName: this.serviceName, active: this.flows.size, total: this.total,
      failures: this.failures, bytesIn: this.bytesIn, bytesOut: this.bytesOut, error: this.error,
    };
  }

  /** The table changed: flows whose backend is no longer in it end. */
  tableChanged(): void {
    const route = this.ctx.routes.get(this.key);
    for (const f of this.flows.values()) {
      if (!route || !route.backends.some((b) => b.taskId === f.target.taskId)) this.endFlow(f);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const f of [...this.flows.values()]) this.endFlow(f);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private fromClient(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const id = `${rinfo.address}|${rinfo.port}`;
    let flow = this.flows.get(id);
    if (!flow) {
      if (this.flows.size >= this.ctx.udpMaxFlows) {
        // A flood of client addresses must not take every file descriptor of the agent.
        this.failures++;
        return;
      }
      const route = this.ctx.routes.get(this.key);
      const target = route && this.ctx.pick(route);
      if (!target) {
        this.failures++;
        return;
      }
      flow = this.startFlow(id, rinfo.address, rinfo.port, target);
    }
    flow.lastSeen = this.ctx.clock.now();
    this.bytesIn += msg.length;
    flow.sock.send(msg, flow.target.port, flow.target.host);
  }

  private startFlow(id: string, clientHost: string, clientPort: number, target: Target): Flow {
    const sock = dgram.createSocket({ type: socketType(target.host) });
    const flow: Flow = { id, clientHost, clientPort, target, sock, lastSeen: this.ctx.clock.now(), cancelTimer: undefined };
    this.total++;
    this.flows.set(id, flow);
    sock.on('message', (msg, rinfo) => {
      const out = this.socket;
      // Only the backend's answers go back (the flow's socket is unconnected: anyone could send to its port).
      if (!out || this.flows.get(id) !== flow || rinfo.port !== target.port) return;
      flow.lastSeen = this.ctx.clock.now();
      this.bytesOut += msg.length;
      out.send(msg, clientPort, clientHost);
    });
    sock.on('error', (e) => {
      this.ctx.logger.debug({ addr: this.addr, task: target.taskId, err: e.message }, 'mesh: udp backend error');
      this.endFlow(flow);
    });
    this.armIdle(flow, this.ctx.udpIdleMs);
    return flow;
  }

  private armIdle(flow: Flow, ms: number): void {
    flow.cancelTimer = this.ctx.clock.setTimeout(() => {
      const idle = this.ctx.clock.now() - flow.lastSeen;
      if (idle >= this.ctx.udpIdleMs) this.endFlow(flow);
      else this.armIdle(flow, this.ctx.udpIdleMs - idle);
    }, ms);
  }

  private endFlow(flow: Flow): void {
    if (this.flows.get(flow.id) !== flow) return;
    this.flows.delete(flow.id);
    flow.cancelTimer?.();
    flow.cancelTimer = undefined;
    this.ctx.release(flow.target.taskId);
    try {
      flow.sock.close();
    } catch {
      // already closed
    }
  }
}
