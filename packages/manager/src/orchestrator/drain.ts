import { isTerminal } from '@shoal/api';
import type { Node, Task } from '@shoal/api';
import { nodeSatisfies } from '../scheduler/placement.js';
import { setDesired } from './actions.js';
import type { TaskAction } from './actions.js';
import { isRunnable } from './slots.js';

/**
 * The constraint enforcer for one node, run when the node's spec changes: on a drained node, and for
 * tasks whose placement constraints the node no longer satisfies (its labels or role changed), live
 * tasks get desired SHUTDOWN. Their slots then count as missing and the replicated reconciler places
 * replacements elsewhere. A paused node keeps its tasks (it only takes no new ones).
 */
export function enforceNodePlacement(node: Node, tasksOnNode: readonly Task[]): TaskAction[] {
  const drained = node.spec.availability === 'drain';
  const actions: TaskAction[] = [];
  for (const t of tasksOnNode) {
    if (t.nodeId !== node.id || !isRunnable(t) || isTerminal(t.status.state)) continue;
    if (drained || !nodeSatisfies(node, t.spec.placement.constraints)) actions.push(setDesired(t, 'SHUTDOWN'));
  }
  return actions;
}
