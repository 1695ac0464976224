import { isTerminal } from '@shoal/api';
import type { Node, Service, Task } from '@shoal/api';
import { setDesired } from './actions.js';
import type { TaskAction } from './actions.js';
import { isRunnable } from './slots.js';

/** The node is down or no longer in the cluster: nothing it runs can be counted on. */
export function nodeGone(nodeId: string, nodesById: ReadonlyMap<string, Node>): boolean {
  const node = nodesById.get(nodeId);
  return node === undefined || node.status.state === 'down';
}

/** A replicated task that should be running but whose node is gone: its slot must be refilled elsewhere. */
export function isLost(task: Task, nodesById: ReadonlyMap<string, Node>): boolean {
  return task.nodeId !== '' && isRunnable(task) && !isTerminal(task.status.state) && nodeGone(task.nodeId, nodesById);
}

/**
 * A node went DOWN: its live replicated tasks get desired REMOVE, so their slots count as missing and the
 * replicated reconciler creates replacements at once (no restart delay: the node failed, not the task).
 * The task reaper then deletes them; if the node comes back, its agent finds them gone from its assignments
 * and stops and removes their containers, so a slot never has two running copies. Global tasks stay: they
 * belong to their node. Tasks of removed services are left to the task reaper.
 */
export function reconcileNodeDown(node: Node, tasksOnNode: readonly Task[], servicesById: ReadonlyMap<string, Service>): TaskAction[] {
  if (node.status.state !== 'down') return [];
  const actions: TaskAction[] = [];
  for (const t of tasksOnNode) {
    const service = servicesById.get(t.serviceId);
    if (t.nodeId !== node.id || !service || service.spec.mode === 'global') continue;
    if (isRunnable(t) && !isTerminal(t.status.state)) actions.push(setDesired(t, 'REMOVE'));
  }
  return actions;
}
