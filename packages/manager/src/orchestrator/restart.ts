import { isTerminal, stateOrder } from '@shoal/api';
import type { Node, Rand, Service, Task } from '@shoal/api';
import { newTask, setDesired, taskTemplate } from './actions.js';
import type { TaskAction } from './actions.js';
import { nodeGone } from './node-down.js';
import { isRunnable, slotKey } from './slots.js';

// States a task reaches by itself (its process ended or could not start): each is one attempt.
const ENDED_BY_ITSELF = new Set(['COMPLETE', 'FAILED', 'REJECTED']);

/**
 * Whether the policy allows another attempt after `task` ended. Condition "" means any (swarm's
 * default); on-failure restarts anything but a clean exit (COMPLETE). maxAttempts (0 = unlimited) is
 * counted over the attempts of the slot still stored — those that ended by themselves, within windowMs
 * of now when a window is set — so history beyond the reaper's limit is not counted.
 */
export function shouldRestart(task: Task, slotTasks: readonly Task[], now: number): boolean {
  const p = task.spec.restart;
  const condition = p.condition || 'any';
  if (condition === 'none') return false;
  if (condition === 'on-failure' && task.status.state === 'COMPLETE') return false;
  if (p.maxAttempts === 0) return true;
  const since = p.windowMs > 0 ? now - p.windowMs : -Infinity;
  let attempts = 0;
  for (const t of slotTasks) {
    if (t.id !== task.id && ENDED_BY_ITSELF.has(t.status.state) && t.status.timestamp >= since) attempts++;
  }
  // The attempt that just ended counts even if the caller left it out of slotTasks.
  return attempts + 1 <= p.maxAttempts;
}

/**
 * The restart supervisor, for a task that has ended while still desired RUNNING (or READY). `slotTasks`
 * are the tasks of its slot (same service and slot; for global services, same node), with or without it.
 * - another live task already fills the slot: the ended one is just marked SHUTDOWN;
 * - the policy allows a restart: the ended task gets SHUTDOWN and a new attempt is created in its slot
 *   (global: on its node), desired READY from now plus the restart delay when there is one (see dueStarts), else RUNNING;
 * - otherwise nothing: the ended task stays desired RUNNING, so the slot stays filled but dead and the
 *   replicated reconciler does not revive it.
 */
export function superviseRestart(service: Service, task: Task, slotTasks: readonly Task[], now: number, rand: Rand): TaskAction[] {
  if (!isRunnable(task) || !isTerminal(task.status.state)) return [];
  const shutdown = setDesired(task, 'SHUTDOWN');
  if (slotTasks.some((t) => t.id !== task.id && isRunnable(t) && !isTerminal(t.status.state))) return [shutdown];
  if (!shouldRestart(task, slotTasks, now)) return [];
  const delay = service.spec.task.restart.delayMs;
  const nodeId = task.slot === 0 ? task.nodeId : '';
  return [shutdown, { kind: 'create', task: newTask(taskTemplate(service), task.slot, nodeId, delay > 0 ? 'READY' : 'RUNNING', now, rand, now + delay) }];
}

export interface DueStarts {
  /** Updates flipping due tasks from desired READY to RUNNING. */
  readonly actions: TaskAction[];
  /** The earliest time a task still waiting for its time becomes due: when the loop should call again. */
  readonly nextWakeAt: number | undefined;
}

const ASSIGNED = stateOrder('ASSIGNED');
const SHUTDOWN = stateOrder('SHUTDOWN');

// A task that may still be running on its node: it reached one, has not ended, and the node is there.
function mayRun(task: Task, nodesById: ReadonlyMap<string, Node>): boolean {
  return !isTerminal(task.status.state) && stateOrder(task.status.state) >= ASSIGNED && !nodeGone(task.nodeId, nodesById);
}

/**
 * The tasks waiting desired READY (a restart delay, or a stop-first update) that may start now: their start
 * time has come and no other task of their slot may still be running — or every such task is on the same node and
 * is being stopped: its agent then holds the start until they have stopped (a stop-first hand-off on one node
 * costs no round trip through the store). `tasks` are the tasks of one service.
 */
export function dueStarts(tasks: readonly Task[], nodesById: ReadonlyMap<string, Node>, now: number): DueStarts {
  const actions: TaskAction[] = [];
  let nextWakeAt: number | undefined;
  let running: Map<string, Task[]> | undefined; // per slot, the tasks that may still run, worked out once when needed
  for (const t of tasks) {
    if (t.desiredState !== 'READY' || isTerminal(t.status.state)) continue;
    if (t.startAt > now) {
      if (nextWakeAt === undefined || t.startAt < nextWakeAt) nextWakeAt = t.startAt;
      continue;
    }
    running ??= mayRunBySlot(tasks, nodesById);
    if ((running.get(slotKey(t)) ?? []).every((o) => heldByAgent(t, o))) actions.push(setDesired(t, 'RUNNING'));
  }
  return { actions, nextWakeAt };
}

function mayRunBySlot(tasks: readonly Task[], nodesById: ReadonlyMap<string, Node>): Map<string, Task[]> {
  const bySlot = new Map<string, Task[]>();
  for (const o of tasks) {
    if (o.desiredState === 'READY' || !mayRun(o, nodesById)) continue;
    const k = slotKey(o);
    const list = bySlot.get(k);
    if (list) list.push(o); else bySlot.set(k, [o]);
  }
  return bySlot;
}

// The agent of `waiting` starts it only once `other` has stopped: both on one node, `other` asked to stop.
function heldByAgent(waiting: Task, other: Task): boolean {
  return waiting.nodeId !== '' && other.nodeId === waiting.nodeId && stateOrder(other.desiredState) >= SHUTDOWN;
}
