import { isTerminal } from '@shoal/api';
import type { Node, Rand, Service, Task, UpdateStatus } from '@shoal/api';
import { newTask, setDesired, taskTemplate } from './actions.js';
import type { TaskAction, TaskTemplate } from './actions.js';
import { isLost } from './node-down.js';
import { currentSpecTest, hasSpec, isRollback, isRollingOut, rolledBack, rolloutConfig } from './rollout.js';
import { portConflict } from './ports.js';
import { isRunnable, slotKey } from './slots.js';

/** What the updater asks of one pass: task changes, a new rollout state, when to look again. */
export interface UpdatePlan {
  readonly actions: TaskAction[];
  /** The service with its new rollout state (or, on an automatic rollback, its previous spec). */
  readonly service?: Service;
  /** When the next batch may start or the monitor window ends, if nothing else happens first. */
  readonly wakeAt?: number;
}

// Observed states a task reaches by ending by itself: during a rollout, each is a failure of the new spec.
const ENDED_BY_ITSELF = new Set(['COMPLETE', 'FAILED', 'REJECTED']);

interface Slot {
  key: string;
  /** For ordering: the slot number, or the node id of a global task. */
  order: number | string;
  /** Runnable tasks of the old spec, and of the current one. */
  old: Task[];
  current: Task[];
  /** When the slot's first task of the current spec made after the rollout began ran or ended; 0: none has. */
  settledAt: number;
}

/**
 * The rolling updater, as a pure function of the service, its tasks and the time. It runs while the service's
 * rollout state is `updating` or `rollback_started`, with the settings in force (rollback ones when rolling back):
 * - a slot whose runnable tasks all run an old spec is replaced, at most `parallelism` slots at a time (0: all):
 *   stop-first asks the old task to stop and creates the new one desired READY, which starts once the old one has
 *   stopped (dueStarts); start-first creates the new one running and stops the old one once the new one runs;
 * - a slot is busy from then until its first new task runs (healthy, for a task with a check) or ends, and for
 *   `delay` after that;
 * - a new task that ends by itself before running, or within `monitor` of starting to run, is a failure; when
 *   failures exceed `maxFailureRatio` of the slots, the failure action applies: pause, rollback (to the previous
 *   spec, with the rollback settings) or continue;
 * - once no slot is old or busy and the last new task has run for `monitor`, the rollout is complete.
 * `services` (every service, read only when an automatic rollback is due) lets a rollback whose ports went to another
 * service meanwhile pause instead.
 * Every decision is read from the store's tasks, so a new leader resumes a rollout where it stands.
 */
export function planUpdate(
  service: Service, tasks: readonly Task[], nodesById: ReadonlyMap<string, Node>, now: number, rand: Rand,
  services: () => Iterable<Service> = () => [],
): UpdatePlan {
  if (!isRollingOut(service)) return { actions: [] };
  const config = rolloutConfig(service);
  const rollback = isRollback(service);
  const startedAt = service.updateStatus.startedAt;
  const isCurrent = currentSpecTest(service);
  const isNew = (t: Task) => t.meta.createdAt >= startedAt && isCurrent(t);

  const slots = new Map<string, Slot>();
  const slotOf = (t: Task): Slot => {
    const key = slotKey(t);
    let s = slots.get(key);
    if (!s) slots.set(key, s = { key, order: t.slot || t.nodeId, old: [], current: [], settledAt: 0 });
    return s;
  };
  const failures: Task[] = [];
  let lastRunAt = 0; // when the newest task of the new spec started running
  for (const t of tasks) {
    if (t.serviceId !== service.id || t.desiredState === 'REMOVE') continue;
    if (isRunnable(t) && !isLost(t, nodesById)) {
      const s = slotOf(t);
      (isCurrent(t) ? s.current : s.old).push(t);
    }
    if (!isNew(t)) continue;
    const ranAt = runningSince(t);
    const ended = ENDED_BY_ITSELF.has(t.status.state);
    if (ranAt > 0 || ended) {
      const s = slotOf(t);
      const at = ranAt > 0 ? ranAt : t.status.timestamp;
      if (s.settledAt === 0 || at < s.settledAt) s.settledAt = at;
    }
    if (ended && (ranAt === 0 || t.status.timestamp - ranAt <= config.monitorMs)) failures.push(t);
    else if (ranAt > 0 && !ended && t.status.state === 'RUNNING') lastRunAt = Math.max(lastRunAt, ranAt);
  }

  const total = [...slots.values()].filter((s) => s.old.length > 0 || s.current.length > 0).length;
  if (failures.length > 0 && config.failureAction !== 'continue' && failures.length / Math.max(total, 1) > config.maxFailureRatio) {
    const failed = failures.reduce((a, b) => (b.status.timestamp > a.status.timestamp ? b : a));
    // Swarm's words, then what the task itself reported (its exit code, `unhealthy container`…), when it did.
    const cause = `due to failure or early termination of task ${failed.id}${failed.status.err ? `: ${failed.status.err}` : ''}`;
    if (config.failureAction === 'rollback' && !rollback && hasSpec(service.previousSpec)) {
      // The previous spec's ports may have gone to another service meanwhile: then it pauses, saying why.
      const conflict = portConflict(services(), service.previousSpec, service.id);
      if (!conflict) return { actions: [], service: rolledBack(service, service.previousSpec, now, `update rolled back ${cause}`) };
      return { actions: [], service: withStatus(service, 'paused', `update paused ${cause}; cannot roll back: ${conflict}`) };
    }
    return { actions: [], service: withStatus(service, rollback ? 'rollback_paused' : 'paused', `${rollback ? 'rollback' : 'update'} paused ${cause}`) };
  }

  const actions: TaskAction[] = [];
  let wakeAt: number | undefined;
  const wake = (at: number) => { wakeAt = wakeAt === undefined ? at : Math.min(wakeAt, at); };
  const todo: Slot[] = [];
  let busy = 0;
  for (const s of slots.values()) {
    if (s.current.length === 0) {
      if (s.old.length > 0) todo.push(s);
      continue;
    }
    // Start-first: once a task of the new spec runs, the old ones go.
    if (s.old.length > 0 && s.current.some((t) => t.status.state === 'RUNNING')) for (const t of s.old) actions.push(setDesired(t, 'SHUTDOWN'));
    const inFlight = s.current.some((t) => t.meta.createdAt >= startedAt) && s.settledAt === 0;
    if (inFlight) busy++;
    else if (s.settledAt > 0 && s.settledAt + config.delayMs > now) { busy++; wake(s.settledAt + config.delayMs); }
  }

  if (todo.length === 0 && busy === 0) {
    const doneAt = lastRunAt + config.monitorMs;
    if (doneAt <= now) {
      return { actions, service: withStatus(service, rollback ? 'rollback_completed' : 'completed', `${rollback ? 'rollback' : 'update'} completed`, now) };
    }
    return { actions, wakeAt: doneAt };
  }

  const free = config.parallelism === 0 ? todo.length : Math.max(0, config.parallelism - busy);
  todo.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  let template: TaskTemplate | undefined;
  for (const s of todo.slice(0, free)) {
    template ??= taskTemplate(service);
    const first = s.old[0]!;
    const nodeId = first.slot === 0 ? first.nodeId : '';
    if (config.order === 'start-first') {
      actions.push({ kind: 'create', task: newTask(template, first.slot, nodeId, 'RUNNING', now, rand) });
      continue;
    }
    for (const t of s.old) actions.push(setDesired(t, 'SHUTDOWN'));
    // The new task is placed and prepared while the old one stops; it starts once the old one has stopped.
    const stopped = s.old.every((t) => isTerminal(t.status.state));
    actions.push({ kind: 'create', task: newTask(template, first.slot, nodeId, stopped ? 'RUNNING' : 'READY', now, rand) });
  }
  return { actions, ...(wakeAt !== undefined ? { wakeAt } : {}) };
}

/** When the task started running (agent clock), 0 if it never has. */
function runningSince(t: Task): number {
  if (t.status.container?.startedAt) return t.status.container.startedAt;
  return t.status.state === 'RUNNING' ? t.status.timestamp : 0;
}

function withStatus(service: Service, state: string, message: string, completedAt = 0): Service {
  const updateStatus: UpdateStatus = { state, startedAt: service.updateStatus.startedAt, completedAt, message };
  return { ...service, updateStatus };
}
