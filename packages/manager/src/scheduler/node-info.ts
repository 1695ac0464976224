import type { Node, Task } from '@shoal/api';
import type { ConstraintTarget } from '@shoal/api';

/** What one task takes from the node it is placed on. */
export interface TaskDemand {
  readonly serviceId: string;
  readonly nanoCpus: number;
  readonly memoryBytes: number;
  /** Host-mode published ports as "protocol/port". */
  readonly hostPorts: readonly string[];
  /** Counts for spreading: the task is meant to run (desired RUNNING or READY), not being stopped. */
  readonly active: boolean;
}

function hostPortKey(protocol: string, port: number): string {
  return `${protocol || 'tcp'}/${port}`;
}

export function taskDemand(task: Task): TaskDemand {
  const r = task.spec.resources.reservations;
  const hostPorts: string[] = [];
  for (const p of task.endpoint.ports) {
    // Port 0 lets the engine pick a free port, so it can never collide.
    if (p.publishMode === 'host' && p.publishedPort > 0) hostPorts.push(hostPortKey(p.protocol, p.publishedPort));
  }
  return {
    serviceId: task.serviceId,
    nanoCpus: r.nanoCpus,
    memoryBytes: r.memoryBytes,
    hostPorts,
    active: task.desiredState === 'RUNNING' || task.desiredState === 'READY',
  };
}

/**
 * The scheduler's view of one node: what its tasks reserve, how many it runs, which host ports they
 * hold. It keeps sums only; NodeSet remembers which task made which demand.
 */
export class NodeInfo {
  private current: Node;
  private target: ConstraintTarget;
  private reservedCpu = 0;
  private reservedMemory = 0;
  private tasks = 0;
  private active = 0;
  private readonly activeByService = new Map<string, number>();
  // A count per port rather than a set, so removing one of two (already colliding) tasks stays correct.
  private readonly ports = new Map<string, number>();

  constructor(node: Node) {
    this.current = node;
    this.target = constraintTarget(node);
  }

  get id(): string { return this.current.id; }
  get node(): Node { return this.current; }
  /** Cached because constraints are matched against it once per placement. */
  get constraintTarget(): ConstraintTarget { return this.target; }
  get freeNanoCpus(): number { return this.current.description.resources.nanoCpus - this.reservedCpu; }
  get freeMemoryBytes(): number { return this.current.description.resources.memoryBytes - this.reservedMemory; }
  /** Tasks holding resources here. */
  get taskCount(): number { return this.tasks; }
  /** Tasks meant to run here, of all services. */
  get activeTasks(): number { return this.active; }

  activeTasksOf(serviceId: string): number { return this.activeByService.get(serviceId) ?? 0; }
  hostPortInUse(key: string): boolean { return (this.ports.get(key) ?? 0) > 0; }

  /** A node's spec or status changed; its tasks stay. */
  setNode(node: Node): void {
    this.current = node;
    this.target = constraintTarget(node);
  }

  add(d: TaskDemand): void {
    this.tasks++;
    this.reservedCpu += d.nanoCpus;
    this.reservedMemory += d.memoryBytes;
    for (const p of d.hostPorts) this.ports.set(p, (this.ports.get(p) ?? 0) + 1);
    if (d.active) {
      this.active++;
      this.activeByService.set(d.serviceId, this.activeTasksOf(d.serviceId) + 1);
    }
  }

  /** Takes back a demand given to add. */
  remove(d: TaskDemand): void {
    this.tasks--;
    this.reservedCpu -= d.nanoCpus;
    this.reservedMemory -= d.memoryBytes;
    for (const p of d.hostPorts) {
      const n = (this.ports.get(p) ?? 0) - 1;
      if (n > 0) this.ports.set(p, n); else this.ports.delete(p);
    }
    if (d.active) {
      this.active--;
      const n = this.activeTasksOf(d.serviceId) - 1;
      if (n > 0) this.activeByService.set(d.serviceId, n); else this.activeByService.delete(d.serviceId);
    }
  }
}

export function constraintTarget(node: Node): ConstraintTarget {
  return {
    id: node.id,
    hostname: node.description.hostname,
    role: node.spec.role,
    os: node.description.platform.os,
    arch: node.description.platform.architecture,
    nodeLabels: node.spec.labels,
    engineLabels: node.description.engineLabels,
  };
}
