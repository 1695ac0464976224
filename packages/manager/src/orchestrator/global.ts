import type { Node, Rand, Service, Task } from '@shoal/api';
import { constraintTarget } from '../scheduler/node-info.js';
import { compileConstraints, targetSatisfies } from '../scheduler/placement.js';
import { newTask, setDesired, taskTemplate } from './actions.js';
import type { TaskAction, TaskTemplate } from './actions.js';
import { startFirstPairs } from './rollout.js';
import { dedupeSlot, isRunnable } from './slots.js';

/** A node that may be given a new task: ready, with an agent, neither paused nor drained. */
export function acceptsNewTasks(node: Node): boolean {
  const a = node.spec.availability;
  return node.status.state === 'ready' && node.status.agent && a !== 'pause' && a !== 'drain';
}

/**
 * One task of a global service on every eligible node. A task is created with slot 0 and its node set
 * (the scheduler still checks resources and ports there). Tasks on removed or drained nodes, or on
 * nodes whose labels no longer satisfy the constraints, get desired SHUTDOWN. A down, paused or
 * not-yet-ready node keeps its task and gets no new one: a global task is never moved elsewhere.
 */
export function reconcileGlobal(service: Service, tasks: readonly Task[], nodes: readonly Node[], now: number, rand: Rand): TaskAction[] {
  const actions: TaskAction[] = [];
  const known = new Set(nodes.map((n) => n.id));
  const byNode = new Map<string, Task[]>();
  for (const t of tasks) {
    if (t.serviceId !== service.id || !isRunnable(t)) continue;
    if (!known.has(t.nodeId)) { actions.push(setDesired(t, 'SHUTDOWN')); continue; }
    const list = byNode.get(t.nodeId);
    if (list) list.push(t); else byNode.set(t.nodeId, [t]);
  }
  const constraints = compileConstraints(service.spec.task.placement.constraints);
  let template: TaskTemplate | undefined;
  const pairs = startFirstPairs(service);
  for (const node of nodes) {
    const current = byNode.get(node.id) ?? [];
    if (node.spec.availability === 'drain' || !targetSatisfies(constraintTarget(node), constraints)) {
      for (const t of current) actions.push(setDesired(t, 'SHUTDOWN'));
    } else if (current.length > 0) {
      dedupeSlot(current, actions, pairs);
    } else if (acceptsNewTasks(node)) {
      template ??= taskTemplate(service);
      actions.push({ kind: 'create', task: newTask(template, 0, node.id, 'RUNNING', now, rand) });
    }
  }
  return actions;
}
