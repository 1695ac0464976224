import type { Endpoint, EndpointTable, Node, Task } from '@shoal/api';
import type { ReadTx } from '../store/index.js';
import { diffEndpoints, endpointTable, fullTable, isServing, serviceEndpoints } from './endpoints.js';

/**
 * The leader's current endpoint table, kept from store events: a change marks the services it may touch, and
 * `flush` recomputes only those (O(tasks of the marked services)) and returns the change for the agents.
 */
export class MeshTable {
  private table = new Map<string, Endpoint[]>();
  private readonly dirty = new Set<string>();

  constructor(private readonly store: ReadTx) {}

  /** Computes the whole table from the store (at start); nothing is sent for it. */
  rebuild(unreachable: ReadonlySet<string>): void {
    this.dirty.clear();
    this.table = endpointTable({
      services: this.store.all('services'),
      tasksOf: (id) => this.store.findTasks({ serviceId: id }),
      node: (id) => this.store.get('nodes', id),
    }, unreachable);
  }

  /** A task created, changed or deleted: its service is marked when the task serves or served. */
  task(old: Task | undefined, task: Task | undefined): void {
    const t = task ?? old;
    if (t && ((old && isServing(old)) || (task && isServing(task)))) this.dirty.add(t.serviceId);
  }

  /** A service created, changed or deleted. */
  service(id: string): void { this.dirty.add(id); }

  /** A node created, changed or deleted: its services are marked when its state or address changed. */
  node(old: Node | undefined, node: Node | undefined): void {
    if (old && node && old.status.state === node.status.state && old.status.addr === node.status.addr) return;
    this.markNode((node ?? old)!.id);
  }

  /** Marks the services in the table that have tasks on the node (its reachability changed). */
  markNode(nodeId: string): void {
    for (const t of this.store.findTasks({ nodeId })) if (this.table.has(t.serviceId)) this.dirty.add(t.serviceId);
  }

  /** Recomputes the marked services; returns the change for the agents, if any. */
  flush(unreachable: ReadonlySet<string>): EndpointTable | undefined {
    if (this.dirty.size === 0) return undefined;
    const ids = [...this.dirty];
    this.dirty.clear();
    const next = new Map<string, Endpoint[]>();
    const nodeOf = (id: string) => this.store.get('nodes', id);
    for (const id of ids) {
      const service = this.store.get('services', id);
      next.set(id, service ? serviceEndpoints(service, this.store.findTasks({ serviceId: id }), nodeOf, unreachable) : []);
    }
    const change = diffEndpoints(this.table, next, ids);
    for (const [id, endpoints] of next) {
      if (endpoints.length) this.table.set(id, endpoints);
      else this.table.delete(id);
    }
    return change;
  }

  /** The whole table, for an agent that just registered. */
  full(): EndpointTable { return fullTable(this.table); }

  endpointsOf(serviceId: string): Endpoint[] { return this.table.get(serviceId) ?? []; }
}
