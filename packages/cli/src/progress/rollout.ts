import { isDeepStrictEqual } from 'node:util';
import { stateOrder, type Service, type Task } from '@shoal/api';
import { CliError } from '../errors.js';
import { activeNodeIds } from '../format/services.js';
import { ProgressDisplay } from './display.js';
import { renderProgress, type ProgressLine, type ProgressView } from './render.js';
import { POLL_MS, VERIFY_MS, type WatchOptions } from './watch.js';

/** Rollout states in which the manager is replacing tasks. */
export function isRollingOut(service: Service): boolean {
  const state = service.updateStatus?.state;
  return state === 'updating' || state === 'rollback_started';
}

/** A task runs the service's current spec (the manager's test for "updated"): same task spec and endpoint. */
export function isUpToDate(task: Task, service: Service): boolean {
  return isDeepStrictEqual(task.spec, service.spec.task) && isDeepStrictEqual(task.endpoint, service.spec.endpoint);
}

/**
 * A task that ended before this rollout began: in a rollback the slots' old tasks run the spec returned to, but
 * they are history, not progress.
 */
function isHistory(task: Task, service: Service): boolean {
  const started = service.updateStatus?.startedAt ?? 0;
  return stateOrder(task.desiredState) > stateOrder('RUNNING') && task.meta.createdAt < started;
}

export interface RolloutInput {
  service: Service;
  tasks: readonly Task[];
  /** Nodes not down; tasks elsewhere do not count. */
  activeNodes: ReadonlySet<string>;
  /** Whether the rollout is a rollback (the overall line says so). */
  rollback: boolean;
}

/**
 * The lines of `service update/rollback` progress: only tasks that run the service's current spec count, so the
 * overall line counts updated tasks ("4 out of 6 tasks"; "rolling back update: 4 out of 6 tasks" in a rollback),
 * and a slot's line shows its new task. A pure function, redrawn by the caller.
 */
export function renderRollout(input: RolloutInput): ProgressView {
  const { service } = input;
  const view = renderProgress({
    mode: service.spec.mode,
    replicas: service.spec.replicas,
    tasks: input.tasks.filter((t) => isUpToDate(t, service) && !isHistory(t, service)),
    activeNodes: input.activeNodes,
    // A global service's rollout covers every node still running one of its tasks, updated or not.
    nodes: new Set(input.tasks.filter((t) => t.nodeId && stateOrder(t.desiredState) <= stateOrder('RUNNING')).map((t) => t.nodeId)),
  });
  if (!input.rollback) return view;
  const lines = view.lines.map((l) =>
    (l.id === 'overall progress' && l.text.includes(' out of ') ? { ...l, text: `rolling back update: ${l.text}` } : l));
  return { ...view, lines };
}

/** How long every new task must stay running before the rollout counts as done: the monitor period in force. */
export function monitorPeriod(service: Service, rollback: boolean): number {
  const config = rollback ? service.spec.rollback : service.spec.update;
  return config?.monitorMs || VERIFY_MS;
}

export interface RolloutWatchOptions extends WatchOptions {
  /**
   * What the command asked for: an update (a rollback the manager starts by itself is then a failure, reported once
   * it is over) or a rollback (`service rollback`, `service update --rollback`).
   */
  kind: 'update' | 'rollback';
  /** The name the user gave, for messages. */
  name: string;
}

/**
 * Follows a rolling update or rollback as docker does, until every slot has run the current spec for the monitor
 * period. Resolves true when done, false when interrupted first; throws a CliError when the rollout paused, or when
 * an update was rolled back by the manager (after following the rollback to its end).
 */
export async function watchRollout(opts: RolloutWatchOptions): Promise<boolean> {
  const display = new ProgressDisplay(opts.out);
  const header: ProgressLine[] = [];
  let rollback = opts.kind === 'rollback';
  let rollbackReason = '';
  let completedMessage = '';
  let convergedAt: number | undefined;
  for (;;) {
    const { service, tasks, nodes } = await opts.fetch();
    const status = service.updateStatus;
    switch (status.state) {
      case 'updating': // also a newer update that replaced a rollback: followed as such
        rollback = false;
        rollbackReason = '';
        break;
      case 'paused':
        throw new CliError(`service update paused: ${status.message}`);
      case 'rollback_paused':
        throw new CliError(`service rollback paused: ${status.message}`);
      case 'rollback_started':
        if (!header.length && status.message) header.push({ id: 'rollback', text: status.message });
        if (!rollbackReason) rollbackReason = status.message;
        rollback = true;
        break;
      case 'rollback_completed':
        if (!rollbackReason) rollbackReason = status.message;
        completedMessage = status.message;
        rollback = true;
        break;
      default:
        break;
    }
    const view = renderRollout({ service, tasks, activeNodes: activeNodeIds(nodes), rollback });
    const now = opts.now();
    let verify: ProgressLine | undefined;
    let done = false;
    if (view.converged) {
      convergedAt ??= now;
      const left = monitorPeriod(service, rollback) - (now - convergedAt);
      done = left <= 0;
      verify = done
        ? { id: 'verify', text: 'Service converged' }
        : { id: 'verify', text: `Waiting ${Math.ceil(left / 1000)} seconds to verify that tasks are stable...` };
    } else if (convergedAt !== undefined) {
      verify = { id: 'verify', text: 'Detected task failure' };
      convergedAt = undefined;
    }
    // The manager may say it is done before this poll saw every task run (a slow poll, a quick rollout).
    if (!done && !view.converged && (status.state === 'completed' || status.state === 'rollback_completed')) done = true;
    const footer: ProgressLine[] = done && completedMessage && opts.kind === 'rollback' ? [{ id: 'rollback', text: completedMessage }] : [];
    display.show([...header, ...view.lines, ...(verify ? [verify] : []), ...footer]);
    if (done) {
      if (opts.kind === 'update' && rollback) throw new CliError(`service rolled back: ${rollbackReason || 'the update failed'}`);
      return true;
    }
    await opts.sleep(POLL_MS);
    if (opts.interrupted()) return false;
  }
}
