import type { Backend, Endpoint, Node, PortConfig, Service, Task } from '@shoal/api';

/**
 * The routing mesh's endpoint table, as pure functions: which ingress ports each service publishes, and which of
 * its tasks answer them. The dispatcher keeps the current table (table.ts) and sends agents what changes.
 */

/** A service's ports that go through the routing mesh: ingress mode, with a published port. */
export function ingressPorts(service: Service): PortConfig[] {
  return service.spec.endpoint.ports.filter((p) => p.publishMode === 'ingress' && p.publishedPort > 0);
}

/**
 * Whether a task may receive connections, its node aside: it is meant to run and it runs (RUNNING already means
 * healthy for a task with a health check; one reported unhealthy is out even before it is failed). A task whose
 * desired state left RUNNING is out at once, before its agent stops it.
 */
export function isServing(task: Task): boolean {
  return task.desiredState === 'RUNNING' && task.status.state === 'RUNNING' && task.status.health !== 'unhealthy';
}

/** Whether a node's tasks may receive connections: ready (its engine answers) and reachable by the leader. */
export function nodeServes(node: Node | undefined, unreachable: ReadonlySet<string>): node is Node {
  return node !== undefined && node.status.state === 'ready' && !!node.status.addr && !unreachable.has(node.id);
}

/** host:port, with an IPv6 host in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The address a task answers an ingress port on: its node's address and the host port the engine chose for the
 * target port, as the agent reported it in status.ports; undefined while it reports none.
 */
export function backendAddr(task: Task, port: Pick<PortConfig, 'protocol' | 'targetPort'>, node: Node): string | undefined {
  const bound = task.status.ports.find((b) => b.publishMode === 'ingress' && b.protocol === port.protocol && b.targetPort === port.targetPort && b.publishedPort > 0);
  return bound ? joinHostPort(node.status.addr, bound.publishedPort) : undefined;
}

/**
 * The task's backend for each of the ports, undefined where it has none: it serves, its node serves, and it reports
 * the port bound.
 */
export function taskBackends(
  task: Task, ports: readonly Pick<PortConfig, 'protocol' | 'targetPort'>[], nodeOf: (id: string) => Node | undefined, unreachable: ReadonlySet<string>,
): (Backend | undefined)[] {
  const node = isServing(task) ? nodeOf(task.nodeId) : undefined;
  if (!nodeServes(node, unreachable)) return ports.map(() => undefined);
  return ports.map((port) => {
    const addr = backendAddr(task, port, node);
    return addr ? { taskId: task.id, nodeId: node.id, addr } : undefined;
  });
}

/**
 * One service's endpoints: one per ingress port, ordered by published port then protocol, each with the backends
 * of the tasks serving it (ordered by task id), so equal tables compare equal. A service with ingress ports and no
 * serving task still has its endpoints (every node listens; connections find no backend).
 */
export function serviceEndpoints(
  service: Service, tasks: Iterable<Task>, nodeOf: (id: string) => Node | undefined, unreachable: ReadonlySet<string>,
): Endpoint[] {
  const ports = ingressPorts(service).sort((a, b) => a.publishedPort - b.publishedPort || compare(a.protocol, b.protocol));
  if (ports.length === 0) return [];
  const backends: Backend[][] = ports.map(() => []);
  for (const task of tasks) {
    if (task.serviceId !== service.id) continue;
    taskBackends(task, ports, nodeOf, unreachable).forEach((b, i) => { if (b) backends[i]!.push(b); });
  }
  return ports.map((port, i) => ({
    serviceId: service.id,
    serviceName: service.spec.annotations.name,
    protocol: port.protocol,
    publishedPort: port.publishedPort,
    targetPort: port.targetPort,
    backends: backends[i]!.sort((a, b) => compare(a.taskId, b.taskId)),
  }));
}

export function sameEndpoints(a: readonly Endpoint[], b: readonly Endpoint[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.serviceId === y.serviceId && x.serviceName === y.serviceName && x.protocol === y.protocol
      && x.publishedPort === y.publishedPort && x.targetPort === y.targetPort && x.backends.length === y.backends.length
      && x.backends.every((p, j) => { const q = y.backends[j]!; return p.taskId === q.taskId && p.nodeId === q.nodeId && p.addr === q.addr; });
  });
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
