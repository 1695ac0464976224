import { isTerminal, stateOrder } from '@shoal/api';
import type { Node, Task } from '@shoal/api';
import { NodeInfo, taskDemand } from './node-info.js';
import type { TaskDemand } from './node-info.js';

const ASSIGNED = stateOrder('ASSIGNED');

/** A task holds its reservations and ports from assignment until it ends. */
export function holdsResources(task: Task): boolean {
  return task.nodeId !== '' && stateOrder(task.status.state) >= ASSIGNED && !isTerminal(task.status.state);
}

/**
 * The scheduler's view of the cluster, kept incrementally by the loop from store events:
 * setNode/removeNode for node events, addTask (create and update) / removeTask (delete) for task events.
 */
export class NodeSet {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly charged = new Map<string, { info: NodeInfo; demand: TaskDemand }>();

  static from(nodes: Iterable<Node>, tasks: Iterable<Task>): NodeSet {
    const set = new NodeSet();
    for (const n of nodes) set.setNode(n);
    for (const t of tasks) set.addTask(t);
    return set;
  }

  get size(): number { return this.nodes.size; }
  get(nodeId: string): NodeInfo | undefined { return this.nodes.get(nodeId); }
  values(): IterableIterator<NodeInfo> { return this.nodes.values(); }

  setNode(node: Node): void {
    // A manager that runs no agent is no place for tasks at all: not even one to explain a pending task by.
    if (!node.status.agent) { this.nodes.delete(node.id); return; }
    const info = this.nodes.get(node.id);
    if (info) info.setNode(node); else this.nodes.set(node.id, new NodeInfo(node));
  }

  /** Forgets the node; records of its tasks go when those tasks are updated or removed. */
  removeNode(nodeId: string): void { this.nodes.delete(nodeId); }

  /** Records the latest version of a task: counted on its node while it holds resources, dropped otherwise. */
  addTask(task: Task): void {
    const info = holdsResources(task) ? this.nodes.get(task.nodeId) : undefined;
    if (info) this.place(task.id, info, taskDemand(task));
    else this.removeTask(task.id);
  }

  removeTask(taskId: string): void {
    const c = this.charged.get(taskId);
    if (!c) return;
    c.info.remove(c.demand);
    this.charged.delete(taskId);
  }

  /** Charges a task to a node; the scheduler calls it for each placement so later batches see it. */
  place(taskId: string, info: NodeInfo, demand: TaskDemand): void {
    const c = this.charged.get(taskId);
    if (c) {
      c.info.remove(c.demand);
      c.info = info;
      c.demand = demand;
    } else {
      this.charged.set(taskId, { info, demand });
    }
    info.add(demand);
  }
}
