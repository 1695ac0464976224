import { isTerminal } from '@shoal/api';
import type { Rand, Service, Task } from '@shoal/api';
import { newTask, setDesired, taskTemplate } from './actions.js';
import type { TaskAction } from './actions.js';
import { isRunnable } from './slots.js';

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
 *   (global: on its node), desired READY when the service has a restart delay (see dueRestarts), else RUNNING;
 * - otherwise nothing: the ended task stays desired RUNNING, so the slot stays filled but dead and the
 *   replicated reconciler does not revive it.
 */
export function superviseRestart(service: Service, task: Task, slotTasks: readonly Task[], now: number, rand: Rand): TaskAction[] {
  if (!isRunnable(task) || !isTerminal(task.status.state)) return [];
  const shutdown = setDesired(task, 'SHUTDOWN');
  if (slotTasks.some((t) => t.id !== task.id && isRunnable(t) && !isTerminal(t.status.state))) return [shutdown];
  if (!shouldRestart(task, slotTasks, now)) return [];
  const delayed = service.spec.task.restart.delayMs > 0;
  const nodeId = task.slot === 0 ? task.nodeId : '';
  return [shutdown, { kind: 'create', task: newTask(taskTemplate(service), task.slot, nodeId, delayed ? 'READY' : 'RUNNING', now, rand) }];
}

/** When a delayed restart may start: the task's creation plus its spec's restart delay. */
export function restartDueAt(task: Task): number {
  return task.meta.createdAt + task.spec.restart.delayMs;
}

export interface DueRestarts {
  /** Updates flipping due tasks from desired READY to RUNNING. */
  readonly actions: TaskAction[];
  /** The earliest time a task still waiting becomes due: when the loop should call again. */
  readonly nextWakeAt: number | undefined;
}

/** The delayed restarts whose delay is over, and when the next one will be. */
export function dueRestarts(tasks: Iterable<Task>, now: number): DueRestarts {
  const actions: TaskAction[] = [];
  let nextWakeAt: number | undefined;
  for (const t of tasks) {
    if (t.desiredState !== 'READY' || isTerminal(t.status.state)) continue;
    const due = restartDueAt(t);
    if (due <= now) actions.push(setDesired(t, 'RUNNING'));
    else if (nextWakeAt === undefined || due < nextWakeAt) nextWakeAt = due;
  }
  return { actions, nextWakeAt };
}
