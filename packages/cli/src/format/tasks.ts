import { stateOrder, stateTitle, type Task } from '@shoal/api';
import { formatTaskPorts } from './ports.js';
import { ellipsis, naturalCompare, truncateId, type Column, type JsonField } from './table.js';
import { ago } from './time.js';

/** docker truncates task errors to this many characters unless --no-trunc. */
const MAX_ERROR_LENGTH = 30;

/** "web.1" for a replicated task, "web.<node id>" for a global one (slot 0), as docker names tasks. */
export function taskName(task: Task): string {
  return `${task.serviceName || task.serviceId}.${task.slot ? task.slot : task.nodeId}`;
}

export interface TaskRow {
  task: Task;
  /** The name as shown in a table: older tasks of a slot are indented " \_ web.1". */
  displayName: string;
  name: string;
  node: string;
  /** The node's address, where its ingress ports are bound ('' when unknown). */
  addr: string;
}

/**
 * Orders tasks as `docker service ps` does: by name (naturally, so web.2 < web.10), the newest first within a slot,
 * and marks every older task of a slot as history.
 */
export function taskRows(
  tasks: readonly Task[], hostnames: ReadonlyMap<string, string>, addrs: ReadonlyMap<string, string> = new Map(),
): TaskRow[] {
  const named = tasks.map((task) => ({ task, name: taskName(task) }));
  named.sort((a, b) => naturalCompare(a.name, b.name) || b.task.meta.createdAt - a.task.meta.createdAt);
  return named.map(({ task, name }, i) => ({
    task,
    name,
    displayName: i > 0 && named[i - 1]!.name === name ? ` \\_ ${name}` : name,
    node: task.nodeId ? hostnames.get(task.nodeId) ?? task.nodeId : '',
    addr: addrs.get(task.nodeId) ?? '',
  }));
}

/** When the task's current state began: its status time, else its creation. */
function stateSince(task: Task): number {
  return task.status.timestamp || task.meta.createdAt;
}

/** Image without its digest, as docker shows it when truncating. */
function shortImage(image: string): string {
  const at = image.indexOf('@');
  return at < 0 ? image : image.slice(0, at);
}

/** The health check's word after a live task's state, as `docker ps` puts it: "(healthy)", "(health: starting)". */
function healthNote(task: Task): string {
  const health = task.status.health;
  if (!health || stateOrder(task.status.state) > stateOrder('RUNNING')) return '';
  return health === 'starting' ? ' (health: starting)' : ` (${health})`;
}

/** CURRENT STATE: "Running 8 seconds ago", with the health of a live task that has a check: "… (healthy)". */
export function currentState(task: Task, now: number): string {
  return `${stateTitle(task.status.state)} ${ago(stateSince(task), now)}${healthNote(task)}`;
}

export function taskColumns(now: number, noTrunc: boolean): Column<TaskRow>[] {
  return [
    { header: 'ID', key: 'ID', value: (r) => (noTrunc ? r.task.id : truncateId(r.task.id)) },
    { header: 'NAME', key: 'Name', value: (r) => r.displayName },
    { header: 'IMAGE', key: 'Image', value: (r) => (noTrunc ? r.task.spec.container.image : shortImage(r.task.spec.container.image)) },
    { header: 'NODE', key: 'Node', value: (r) => r.node },
    { header: 'DESIRED STATE', key: 'DesiredState', value: (r) => stateTitle(r.task.desiredState) },
    { header: 'CURRENT STATE', key: 'CurrentState', value: (r) => currentState(r.task, now) },
    {
      header: 'ERROR', key: 'Error',
      value: (r) => {
        const err = noTrunc ? r.task.status.err : ellipsis(r.task.status.err, MAX_ERROR_LENGTH);
        return err ? `"${err}"` : '';
      },
    },
    { header: 'PORTS', key: 'Ports', value: (r) => formatTaskPorts(r.task.status.ports, r.addr) },
  ];
}

/** The JSON form names a task without the history indent, as docker's does. */
export function taskJsonFields(now: number, noTrunc: boolean): JsonField<TaskRow>[] {
  return taskColumns(now, noTrunc).map((c) => (c.key === 'Name' ? { key: c.key, value: (r: TaskRow) => r.name } : c));
}
