import { createRequire } from 'node:module';
import util from 'node:util';
import type { Target } from './balancer.js';

/**
 * The routing mesh's TCP data plane, native (native/tcp_proxy.c, built by node-gyp when the package is installed):
 * an epoll loop on a thread of its own that accepts, picks a backend and forwards, with no JavaScript per
 * connection. JavaScript opens and closes its listeners, keeps its routes in step with the endpoint table, and reads
 * its counters.
 */
interface Binding {
  create(connectTimeoutMs: number): object;
  destroy(proxy: object): void;
  listen(proxy: object, ip: string, port: number, route: number): number | [number, string];
  closeListener(proxy: object, listener: number): void;
  stats(proxy: object, listener: number): [number, number, number, number, number];
  newRoute(proxy: object): number;
  deleteRoute(proxy: object, route: number): void;
  changeRoute(proxy: object, route: number, replace: boolean, removed: readonly string[], added: ReadonlyArray<string | number>): void;
  taskConnections(proxy: object, taskId: string): number;
}

const binding = createRequire(import.meta.url)('@shoal/agent/tcp-proxy.node') as Binding;

export interface TcpListenerCounters {
  active: number;
  total: number;
  failures: number;
  bytesIn: number;
  bytesOut: number;
}

function flat(targets: readonly Target[]): Array<string | number> {
  const out: Array<string | number> = [];
  for (const t of targets) out.push(t.taskId, t.host, t.port);
  return out;
}

/** "EADDRINUSE: address already in use", from a negative errno. */
export function errnoText(status: number): string {
  const entry = util.getSystemErrorMap().get(status);
  return entry ? `${entry[0]}: ${entry[1]}` : `error ${status}`;
}

/**
 * One native proxy: its listeners (ids), its routes (ids; a listener forwards to the backends of its route, read at
 * each connection), and the connections open to each task. `close()` ends its thread and every socket.
 */
export class TcpProxy {
  private handle: object | undefined;

  constructor(connectTimeoutMs: number) {
    this.handle = binding.create(connectTimeoutMs);
  }

  private get proxy(): object {
    if (!this.handle) throw new Error('routing mesh: the TCP proxy is closed');
    return this.handle;
  }

  /** Listens on an IP address and port for a route: the listener's id, or why it cannot ("bind EADDRINUSE: …"). */
  listen(ip: string, port: number, route: number): number | string {
    const out = binding.listen(this.proxy, ip, port, route);
    return typeof out === 'number' ? out : `${out[1]} ${errnoText(out[0])}`;
  }

  /** Stops accepting and ends every connection the listener proxies. */
  closeListener(listener: number): void {
    binding.closeListener(this.proxy, listener);
  }

  counters(listener: number): TcpListenerCounters {
    const [active, total, failures, bytesIn, bytesOut] = binding.stats(this.proxy, listener);
    return { active, total, failures, bytesIn, bytesOut };
  }

  newRoute(): number {
    return binding.newRoute(this.proxy);
  }

  /** The route's backends become `backends` (open connections stay with their task). */
  setBackends(route: number, backends: readonly Target[]): void {
    binding.changeRoute(this.proxy, route, true, [], flat(backends));
  }

  /** Removes the backends of these tasks, then adds `added`. */
  patchBackends(route: number, removed: readonly string[], added: readonly Target[]): void {
    binding.changeRoute(this.proxy, route, false, removed, flat(added));
  }

  /** Frees a route none of the listeners uses any more. */
  deleteRoute(route: number): void {
    binding.deleteRoute(this.proxy, route);
  }

  /** TCP connections open to the task now (from the choice of it until the connection ends). */
  connections(taskId: string): number {
    return this.handle ? binding.taskConnections(this.handle, taskId) : 0;
  }

  close(): void {
    if (!this.handle) return;
    binding.destroy(this.handle);
    this.handle = undefined;
  }
}
