import type { Backend, BackendChange, Endpoint, EndpointTable, Node, Task } from '@shoal/api';
import type { ReadTx, StoreEvent } from '../store/index.js';
import { compare, isServing, sameEndpoints, serviceEndpoints, taskBackends } from './endpoints.js';

/** One service's endpoints as the table keeps them: each endpoint's backends by task id, so one task is O(1). */
interface Entry {
  /** The endpoints, their backends left empty: the ports. */
  readonly heads: Endpoint[];
  /** Per endpoint (same order as heads), its backends by task id. */
  readonly backends: Map<string, Backend>[];
}

/**
 * The leader's current endpoint table, kept from store events, and what changes in it for the agents:
 * - a service created, changed or removed is recomputed whole (O(its tasks)) and sent whole when it differs;
 * - a task that begins or stops serving, or whose node's reachability changed, is looked at alone and sent as a
 *   backend change, so a rollout or a scale of a large service costs per task, not per task × service size.
 */
export class MeshTable {
  private readonly entries = new Map<string, Entry>();
  private readonly dirtyServices = new Set<string>();
  /** Task id -> service id. */
  private readonly dirtyTasks = new Map<string, string>();

  constructor(private readonly store: ReadTx) {}

  /** Computes the whole table from the store (at start); nothing is sent for it. */
  rebuild(unreachable: ReadonlySet<string>): void {
    this.dirtyServices.clear();
    this.dirtyTasks.clear();
    this.entries.clear();
    for (const service of this.store.all('services')) {
      this.set(service.id, serviceEndpoints(service, this.store.findTasks({ serviceId: service.id }), this.nodeOf, unreachable));
    }
  }

  /** Marks what a store change may touch; it is looked at again at the next flush (the dispatcher's, at the commit). */
  mark(e: Exclude<StoreEvent, { kind: 'commit' }>): void {
    const old = e.kind === 'update' ? e.old : e.kind === 'delete' ? e.object : undefined;
    const now = e.kind === 'delete' ? undefined : e.object;
    if (e.table === 'tasks') this.task(old as Task | undefined, now as Task | undefined);
    else if (e.table === 'services') this.service(e.object.id);
    else if (e.table === 'nodes') this.node(old as Node | undefined, now as Node | undefined);
  }

  /** A task created, changed or deleted: looked at again when it serves or served. */
  task(old: Task | undefined, task: Task | undefined): void {
    const t = task ?? old;
    if (t && ((old && isServing(old)) || (task && isServing(task)))) this.dirtyTasks.set(t.id, t.serviceId);
  }

  /** A service created, changed or deleted. */
  service(id: string): void { this.dirtyServices.add(id); }

  /** A node created, changed or deleted: its tasks are looked at again when its state or address changed. */
  node(old: Node | undefined, node: Node | undefined): void {
    if (old && node && old.status.state === node.status.state && old.status.addr === node.status.addr) return;
    this.markNode((node ?? old)!.id);
  }

  /** Marks the node's tasks of services in the table (its reachability changed). */
  markNode(nodeId: string): void {
    for (const t of this.store.findTasks({ nodeId })) if (this.entries.has(t.serviceId)) this.dirtyTasks.set(t.id, t.serviceId);
  }

  /** Applies what was marked; returns the change for the agents, or undefined when nothing changed. */
  flush(unreachable: ReadonlySet<string>): EndpointTable | undefined {
    if (this.dirtyServices.size === 0 && this.dirtyTasks.size === 0) return undefined;
    const endpoints: Endpoint[] = [];
    const removedServices: string[] = [];
    for (const id of this.dirtyServices) {
      const service = this.store.get('services', id);
      const after = service ? serviceEndpoints(service, this.store.findTasks({ serviceId: id }), this.nodeOf, unreachable) : [];
      if (sameEndpoints(this.endpointsOf(id), after)) continue;
      this.set(id, after);
      if (after.length) endpoints.push(...after);
      else removedServices.push(id);
    }
    const changes = new Map<string, BackendChange>(); // one per endpoint
    for (const [taskId, serviceId] of this.dirtyTasks) {
      if (this.dirtyServices.has(serviceId)) continue; // recomputed whole above
      const entry = this.entries.get(serviceId);
      if (entry) this.taskChanged(serviceId, entry, taskId, unreachable, changes);
    }
    this.dirtyServices.clear();
    this.dirtyTasks.clear();
    if (endpoints.length === 0 && removedServices.length === 0 && changes.size === 0) return undefined;
    return { full: false, endpoints, removedServices, backendChanges: [...changes.values()] };
  }

  /** The whole table, for an agent that just registered. */
  full(): EndpointTable {
    return { full: true, endpoints: [...this.entries.keys()].flatMap((id) => this.endpointsOf(id)), removedServices: [], backendChanges: [] };
  }

  /** A service's endpoints, backends ordered by task id (as serviceEndpoints orders them). */
  endpointsOf(serviceId: string): Endpoint[] {
    const entry = this.entries.get(serviceId);
    if (!entry) return [];
    return entry.heads.map((head, i) => ({ ...head, backends: [...entry.backends[i]!.values()].sort((a, b) => compare(a.taskId, b.taskId)) }));
  }

  private readonly nodeOf = (id: string): Node | undefined => this.store.get('nodes', id);

  private set(serviceId: string, endpoints: Endpoint[]): void {
    if (endpoints.length === 0) { this.entries.delete(serviceId); return; }
    this.entries.set(serviceId, {
      heads: endpoints.map((e) => ({ ...e, backends: [] })),
      backends: endpoints.map((e) => new Map(e.backends.map((b) => [b.taskId, b]))),
    });
  }

  /** Puts the task's backends as they are now in the entry, adding what changed to the endpoints' `changes`. */
  private taskChanged(serviceId: string, entry: Entry, taskId: string, unreachable: ReadonlySet<string>, changes: Map<string, BackendChange>): void {
    const task = this.store.get('tasks', taskId);
    const backends = task?.serviceId === serviceId ? taskBackends(task, entry.heads, this.nodeOf, unreachable) : [];
    entry.heads.forEach((head, i) => {
      const now = backends[i];
      const before = entry.backends[i]!.get(taskId);
      if (before?.addr === now?.addr && before?.nodeId === now?.nodeId) return;
      const key = `${serviceId} ${head.protocol}/${head.publishedPort}`;
      let change = changes.get(key);
      if (!change) changes.set(key, change = { serviceId, protocol: head.protocol, publishedPort: head.publishedPort, added: [], removed: [] });
      if (before) { entry.backends[i]!.delete(taskId); change.removed.push(taskId); }
      if (now) { entry.backends[i]!.set(taskId, now); change.added.push(now); }
    });
  }
}
