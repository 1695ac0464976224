import { isTerminal } from '@shoal/api';
import type { Task } from '@shoal/api';
import { setDesired } from './actions.js';
import type { TaskAction } from './actions.js';

/**
 * A task that still fills its slot: desired RUNNING, or READY while a restart delay runs. One that has
 * ended but is still desired RUNNING counts too: it is the restart supervisor's to replace or, when
 * the policy says no, to leave dead — so the slot reconcilers never race it or revive the slot.
 */
export function isRunnable(task: Task): boolean {
  return task.desiredState === 'RUNNING' || task.desiredState === 'READY';
}

/** Identity of a slot: replicated tasks by number, global tasks (slot 0) by node. */
export function slotKey(task: Task): string {
  return task.slot === 0 ? `${task.serviceId}@${task.nodeId}` : `${task.serviceId}.${task.slot}`;
}

/** Newer attempts first: by creation time, then id so the order is total. */
export function newestFirst(a: Task, b: Task): number {
  return b.meta.createdAt - a.meta.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** 0 for a running task, 1 for one on its way, 2 for one that has ended: lower is worth keeping. */
export function livenessRank(t: Task): number {
  return t.status.state === 'RUNNING' ? 0 : isTerminal(t.status.state) ? 2 : 1;
}

/** Of several tasks in one slot, the one to keep: running first, then still alive, then the newest. */
export function preferredTask(tasks: readonly Task[]): Task | undefined {
  return [...tasks].sort((a, b) => livenessRank(a) - livenessRank(b) || newestFirst(a, b))[0];
}

/**
 * Keeps the preferred task of a slot and asks the others to shut down. During a start-first rollout
 * (`isCurrent` given) a slot may hold one task of the new spec and one of the old until the new one runs:
 * the preferred of each is kept. Returns the kept tasks, the one to count the slot by first.
 */
export function dedupeSlot(tasks: readonly Task[], actions: TaskAction[], isCurrent?: (t: Task) => boolean): Task[] {
  if (tasks.length === 1) return [tasks[0]!];
  const keep: Task[] = [];
  if (isCurrent) {
    const current = preferredTask(tasks.filter(isCurrent));
    const old = preferredTask(tasks.filter((t) => !isCurrent(t)));
    if (current) keep.push(current);
    if (old) keep.push(old);
  } else {
    keep.push(preferredTask(tasks)!);
  }
  for (const t of tasks) if (!keep.includes(t)) actions.push(setDesired(t, 'SHUTDOWN'));
  return keep;
}
