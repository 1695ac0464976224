import type { Node, Rand, Service, Task } from '@shoal/api';
import { newTask, setDesired, taskTemplate } from './actions.js';
import type { TaskAction } from './actions.js';
import { isLost } from './node-down.js';
import { startFirstPairs } from './rollout.js';
import { dedupeSlot, isRunnable, livenessRank } from './slots.js';

/**
 * Keeps slots 1..replicas of a replicated service filled:
 * - a runnable task on a down or removed node is removed (see reconcileNodeDown) and its slot counts as missing;
 * - a slot with several runnable tasks keeps the running, newest one (in a start-first rollout: one of each spec);
 * - missing slots get a new task (lowest free slot numbers first);
 * - on scale-down, whole slots get desired REMOVE (so the reaper deletes them once stopped, leaving no
 *   history), chosen as swarm does: from the nodes with most tasks of the service, tasks not yet running first.
 */
export function reconcileReplicated(
  service: Service, tasks: readonly Task[], nodesById: ReadonlyMap<string, Node>, now: number, rand: Rand,
): TaskAction[] {
  const actions: TaskAction[] = [];
  const bySlot = new Map<number, Task[]>();
  for (const t of tasks) {
    if (t.serviceId !== service.id || !isRunnable(t)) continue;
    if (isLost(t, nodesById)) { actions.push(setDesired(t, 'REMOVE')); continue; }
    const slot = bySlot.get(t.slot);
    if (slot) slot.push(t); else bySlot.set(t.slot, [t]);
  }
  const current: Task[] = [];
  const pairs = startFirstPairs(service);
  const kept = new Map<Task, Task[]>(); // the task a slot is counted by -> every task kept in it
  for (const slotTasks of bySlot.values()) {
    const keep = dedupeSlot(slotTasks, actions, pairs);
    current.push(keep[0]!);
    kept.set(keep[0]!, keep);
  }

  const replicas = service.spec.replicas;
  if (current.length > replicas) {
    for (const t of scaleDownOrder(current).slice(replicas)) for (const k of kept.get(t)!) actions.push(setDesired(k, 'REMOVE'));
    return actions;
  }
  if (current.length === replicas) return actions;
  const template = taskTemplate(service);
  const used = new Set(current.map((t) => t.slot));
  let slot = 0;
  for (let n = current.length; n < replicas; n++) {
    do slot++; while (used.has(slot));
    actions.push({ kind: 'create', task: newTask(template, slot, '', 'RUNNING', now, rand) });
  }
  return actions;
}

// The tasks to keep come first. Each task is numbered as the nth copy of the service on its node; the
// highest numbers (the most crowded nodes) go last and are removed, which leaves the spread balanced.
function scaleDownOrder(current: readonly Task[]): Task[] {
  const byLiveness = [...current].sort((a, b) => livenessRank(a) - livenessRank(b) || a.slot - b.slot);
  const perNode = new Map<string, number>();
  const numbered = byLiveness.map((t) => {
    if (t.nodeId === '') return { t, nth: Number.MAX_SAFE_INTEGER }; // not placed yet: cheapest to remove
    const nth = (perNode.get(t.nodeId) ?? 0) + 1;
    perNode.set(t.nodeId, nth);
    return { t, nth };
  });
  return numbered.sort((a, b) => a.nth - b.nth).map((x) => x.t);
}
