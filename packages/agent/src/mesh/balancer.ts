import type { Backend, BackendChange, Endpoint, EndpointTable } from '@shoal/api';

/**
 * Least connections, ties broken round-robin: scanning from `cursor` (wrapping), the first backend with the fewest
 * open connections wins, so equally loaded backends take turns. `skip` holds task ids already tried for this
 * connection. Returns the index chosen, or -1 when no backend is left. Pure: the caller keeps the cursor (the index
 * after the one chosen) and the counts.
 */
export function pickBackend(
  backends: readonly { readonly taskId: string }[],
  load: (taskId: string) => number,
  cursor: number,
  skip?: ReadonlySet<string>,
): number {
  const n = backends.length;
  if (n === 0) return -1;
  const start = ((cursor % n) + n) % n;
  let best = -1;
  let bestLoad = Infinity;
  for (let i = 0; i < n; i++) {
    const idx = start + i < n ? start + i : start + i - n;
    const b = backends[idx]!;
    if (skip !== undefined && skip.has(b.taskId)) continue;
    const l = load(b.taskId);
    if (l < bestLoad) {
      best = idx;
      bestLoad = l;
      if (l === 0) break; // nothing beats an idle backend, and it is the first one in turn
    }
  }
  return best;
}

export type Protocol = 'tcp' | 'udp';

/** A backend with its address parsed once. */
export interface Target { readonly taskId: string; readonly host: string; readonly port: number }

function targets(backends: readonly Backend[]): Target[] {
  const out: Target[] = [];
  for (const b of backends) {
    const hp = parseAddr(b.addr);
    if (hp) out.push({ taskId: b.taskId, host: hp.host, port: hp.port });
  }
  return out;
}

/** Where connections to one published port go now. */
export interface Route {
  readonly key: string;
  readonly protocol: Protocol;
  readonly port: number;
  serviceId: string;
  serviceName: string;
  backends: Target[];
  /** The round-robin position: the index after the last backend chosen. */
  cursor: number;
}

export function routeKey(protocol: Protocol, port: number): string {
  return `${protocol}/${port}`;
}

export function protocolOf(endpoint: Pick<Endpoint, 'protocol'>): Protocol {
  return endpoint.protocol === 'udp' ? 'udp' : 'tcp';
}

/** The backends without those the change removes, then those it adds. */
function patched<B extends { readonly taskId: string }>(backends: readonly B[], change: BackendChange, added: readonly B[]): B[] {
  const removed = new Set(change.removed);
  return backends.filter((b) => !removed.has(b.taskId)).concat(added);
}

/**
 * Each service's endpoints as the table messages leave them: a full table replaces them all, a delta replaces all of
 * a service's endpoints, a backend change adds or removes single backends of one. What a mesh thread's host keeps to
 * start a new thread with (no routes needed there), and what a RouteTable builds its routes from.
 */
export class EndpointSet {
  private readonly services = new Map<string, Endpoint[]>();

  /**
   * Applies a table message. Returns whether services' endpoints were replaced or removed (routes are then rebuilt)
   * and the backend changes that patched a known endpoint (enough, alone, to patch their routes).
   */
  apply(table: EndpointTable): { replaced: boolean; patched: BackendChange[] } {
    if (table.full) this.services.clear();
    for (const id of table.removedServices) this.services.delete(id);
    const given = new Map<string, Endpoint[]>();
    for (const e of table.endpoints) {
      const list = given.get(e.serviceId);
      if (list) list.push(e);
      else given.set(e.serviceId, [e]);
    }
    for (const [id, list] of given) this.services.set(id, list);
    const patched = table.backendChanges.filter((c) => this.patch(c));
    return { replaced: table.full || table.removedServices.length > 0 || table.endpoints.length > 0, patched };
  }

  /** Applies a backend change to its service's endpoint (a new object: messages are not changed); false when that endpoint is unknown. */
  private patch(change: BackendChange): boolean {
    const list = this.services.get(change.serviceId);
    const i = list?.findIndex((x) => protocolOf(x) === protocolOf(change) && x.publishedPort === change.publishedPort) ?? -1;
    if (!list || i < 0) return false;
    list[i] = { ...list[i]!, backends: patched(list[i]!.backends, change, change.added) };
    return true;
  }

  /** The whole table as one full message: what a new mesh needs to have every route this one has. */
  snapshot(): EndpointTable {
    return { full: true, endpoints: [...this.services.values()].flat(), removedServices: [], backendChanges: [] };
  }

  /** Each service's endpoints, by service id in order. */
  byService(): Array<[string, readonly Endpoint[]]> {
    return [...this.services.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** Backends a backend change removed from a route and added to it. */
export interface RoutePatch { readonly route: Route; readonly removed: readonly string[]; readonly added: readonly Target[] }

export interface RouteChanges {
  readonly conflicts: string[];
  /** Every route was built again (services' endpoints replaced or removed). */
  readonly rebuilt: boolean;
  readonly patched: RoutePatch[];
}

/**
 * The endpoint table as the mesh keeps it: its endpoints (EndpointSet), and from them one route per (protocol,
 * published port). A port claimed by two services (the manager never allows it) goes to the lowest service id.
 * Routes that stay keep their round-robin cursor. Backend changes alone patch their routes: O(the route), not O(the
 * table).
 */
export class RouteTable {
  private readonly endpoints = new EndpointSet();
  private routes = new Map<string, Route>();

  /**
   * Applies a table message. Returns the port conflicts found (for a log line), and what changed: every route
   * (`rebuilt`), or single backends of some.
   */
  apply(table: EndpointTable): RouteChanges {
    const { replaced, patched } = this.endpoints.apply(table);
    if (replaced) return { conflicts: this.rebuild(), rebuilt: true, patched: [] };
    const changed: RoutePatch[] = [];
    for (const c of patched) {
      const patch = this.patchRoute(c);
      if (patch) changed.push(patch);
    }
    return { conflicts: [], rebuilt: false, patched: changed };
  }

  private patchRoute(change: BackendChange): RoutePatch | undefined {
    const route = this.routes.get(routeKey(protocolOf(change), change.publishedPort));
    if (route?.serviceId !== change.serviceId) return undefined;
    const added = targets(change.added);
    route.backends = patched(route.backends, change, added);
    return { route, removed: change.removed, added };
  }

  get(key: string): Route | undefined {
    return this.routes.get(key);
  }

  all(): IterableIterator<Route> {
    return this.routes.values();
  }

  private rebuild(): string[] {
    const conflicts: string[] = [];
    const next = new Map<string, Route>();
    for (const [id, endpoints] of this.endpoints.byService()) {
      for (const e of endpoints) {
        const protocol = protocolOf(e);
        const key = routeKey(protocol, e.publishedPort);
        if (e.publishedPort <= 0 || e.publishedPort > 65535) continue;
        const taken = next.get(key);
        if (taken) {
          if (taken.serviceId !== id) conflicts.push(`${key}: ${taken.serviceName} and ${e.serviceName}`);
          else taken.backends = taken.backends.concat(targets(e.backends));
          continue;
        }
        const old = this.routes.get(key);
        const route: Route = old ?? { key, protocol, port: e.publishedPort, serviceId: id, serviceName: '', backends: [], cursor: 0 };
        route.serviceId = id;
        route.serviceName = e.serviceName;
        route.backends = targets(e.backends);
        next.set(key, route);
      }
    }
    this.routes = next;
    return conflicts;
  }
}

export interface HostPort { host: string; port: number }

/** 'host:port' or '[v6]:port'; undefined when it is not one. */
export function parseAddr(addr: string): HostPort | undefined {
  let host: string;
  let portText: string;
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']:');
    if (end < 0) return undefined;
    host = addr.slice(1, end);
    portText = addr.slice(end + 2);
  } else {
    const colon = addr.lastIndexOf(':');
    if (colon <= 0) return undefined;
    host = addr.slice(0, colon);
    portText = addr.slice(colon + 1);
    if (host.includes(':')) return undefined;
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535 || host === '') return undefined;
  return { host, port };
}

export function formatAddr(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
