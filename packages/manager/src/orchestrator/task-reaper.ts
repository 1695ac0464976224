import { isTerminal, stateOrder } from '@shoal/api';
import type { Node, Service, Task } from '@shoal/api';
import { setDesired } from './actions.js';
import type { TaskAction } from './actions.js';
import { nodeGone } from './node-down.js';
import { isRunnable, newestFirst, slotKey } from './slots.js';

/** Swarm's default number of ended tasks kept per slot. */
export const DEFAULT_TASK_HISTORY_LIMIT = 5;

const ASSIGNED = stateOrder('ASSIGNED');

// A task that will never run again: it has ended, never reached a node (so no agent will ever report
// it), or sits on a node that is down or removed. An agent that comes back drops containers of tasks
// that no longer exist.
function over(task: Task, nodesById: ReadonlyMap<string, Node>): boolean {
  return isTerminal(task.status.state) || stateOrder(task.status.state) < ASSIGNED || nodeGone(task.nodeId, nodesById);
}

/**
 * The task reaper for the tasks of one service (`service` undefined once the service is removed):
 * - removed service: tasks that are over are deleted, the others get desired REMOVE so agents stop them;
 * - desired REMOVE (a slot removed on scale-down): deleted once over;
 * - otherwise at most `historyLimit` tasks that are over and no longer desired running are kept per slot
 *   (per node for global services), the newest; older ones are deleted. A slot's current task is
 *   always kept, even when it has ended.
 */
export function reapServiceTasks(
  service: Service | undefined, tasks: readonly Task[], nodesById: ReadonlyMap<string, Node>,
  historyLimit: number = DEFAULT_TASK_HISTORY_LIMIT,
): TaskAction[] {
  const actions: TaskAction[] = [];
  const history = new Map<string, Task[]>();
  for (const t of tasks) {
    if (service === undefined || t.desiredState === 'REMOVE') {
      if (over(t, nodesById)) actions.push({ kind: 'delete', taskId: t.id });
      else if (t.desiredState !== 'REMOVE') actions.push(setDesired(t, 'REMOVE'));
      continue;
    }
    if (isRunnable(t) || !over(t, nodesById)) continue;
    const key = slotKey(t);
    const list = history.get(key);
    if (list) list.push(t); else history.set(key, [t]);
  }
  for (const list of history.values()) {
    if (list.length <= historyLimit) continue;
    for (const t of list.sort(newestFirst).slice(historyLimit)) actions.push({ kind: 'delete', taskId: t.id });
  }
  return actions;
}
