import { stateOrder, type Node, type Service, type Task } from '@shoal/api';
import { formatPorts } from './ports.js';
import { naturalCompare, truncateId, type Column, type JsonField } from './table.js';

export interface ServiceRow {
  service: Service;
  running: number;
  desired: number;
}

/** Nodes whose tasks count: every node not known to be down (docker's `getActiveNodes`). */
export function activeNodeIds(nodes: readonly Node[]): Set<string> {
  return new Set(nodes.filter((n) => n.status.state !== 'down').map((n) => n.id));
}

/** A task that is meant to run and does, on a node that is up. */
export function isRunningTask(task: Task, activeNodes: ReadonlySet<string>): boolean {
  return task.status.state === 'RUNNING' && stateOrder(task.desiredState) <= stateOrder('RUNNING') && activeNodes.has(task.nodeId);
}

/**
 * REPLICAS as docker counts them: running tasks over the replica count, or for a global service over the tasks
 * meant to run on active nodes.
 */
export function serviceRows(services: readonly Service[], tasks: readonly Task[], activeNodes: ReadonlySet<string>): ServiceRow[] {
  const byService = new Map<string, Task[]>();
  for (const t of tasks) byService.set(t.serviceId, [...(byService.get(t.serviceId) ?? []), t]);
  return [...services]
    .sort((a, b) => naturalCompare(a.spec.annotations.name, b.spec.annotations.name))
    .map((service) => {
      const own = byService.get(service.id) ?? [];
      const running = own.filter((t) => isRunningTask(t, activeNodes)).length;
      const desired = service.spec.mode === 'global'
        ? own.filter((t) => stateOrder(t.desiredState) <= stateOrder('RUNNING') && activeNodes.has(t.nodeId)).length
        : service.spec.replicas;
      return { service, running, desired };
    });
}

/** What REPLICAS adds while a rollout matters: under way or stopped; nothing once it completed. */
const ROLLOUT_NOTE: Readonly<Record<string, string>> = {
  updating: 'updating', paused: 'update paused', rollback_started: 'rolling back', rollback_paused: 'rollback paused',
};

/** " (updating)", " (update paused)", " (rolling back)", " (rollback paused)", or '' (never updated, or completed). */
export function rolloutNote(service: Service): string {
  const note = ROLLOUT_NOTE[service.updateStatus?.state ?? ''];
  return note ? ` (${note})` : '';
}

export const serviceColumns: Column<ServiceRow>[] = [
  { header: 'ID', key: 'ID', value: (r) => truncateId(r.service.id) },
  { header: 'NAME', key: 'Name', value: (r) => r.service.spec.annotations.name },
  { header: 'MODE', key: 'Mode', value: (r) => r.service.spec.mode },
  { header: 'REPLICAS', key: 'Replicas', value: (r) => `${r.running}/${r.desired}${rolloutNote(r.service)}` },
  { header: 'IMAGE', key: 'Image', value: (r) => r.service.spec.task.container.image },
  { header: 'PORTS', key: 'Ports', value: (r) => formatPorts(r.service.spec.endpoint.ports) },
];

/** --format json and templates: the columns, and the rollout state as the manager words it ('' when never updated). */
export const serviceJsonFields: JsonField<ServiceRow>[] = [
  ...serviceColumns,
  { key: 'UpdateState', value: (r) => r.service.updateStatus?.state ?? '' },
];
