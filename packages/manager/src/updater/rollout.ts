import { isDeepStrictEqual } from 'node:util';
import type { Service, ServiceSpec, UpdateStatus } from '@shoal/api';

/** Rollout states; the first two mean tasks are being replaced. */
export type RolloutState = 'updating' | 'rollback_started' | 'paused' | 'rollback_paused' | 'completed' | 'rollback_completed';

export function isRollingOut(service: Service): boolean {
  const state = service.updateStatus?.state;
  return state === 'updating' || state === 'rollback_started';
}

export function isRollback(service: Service): boolean {
  return service.updateStatus?.state.startsWith('rollback') ?? false;
}

/** The rollout settings in force: the rollback ones while rolling back. */
export function rolloutConfig(service: Service) {
  return isRollback(service) ? service.spec.rollback : service.spec.update;
}

/** Whether a change of spec changes what tasks run, so the running tasks must be replaced. */
export function changesTasks(before: ServiceSpec, after: ServiceSpec): boolean {
  return !isDeepStrictEqual(before.task, after.task) || !isDeepStrictEqual(before.endpoint, after.endpoint);
}

function status(state: RolloutState, now: number, message: string): UpdateStatus {
  return { state, startedAt: now, completedAt: 0, message };
}

/**
 * A service given a new spec: the current one becomes the previous (for rollback, as swarm keeps it); a spec that
 * changes the tasks starts a rollout — also on a paused service, which so resumes with the new spec. A change that
 * leaves the tasks alone (replicas, rollout settings) keeps the rollout state as it was.
 */
export function withNewSpec(service: Service, spec: ServiceSpec, now: number): Service {
  const updateStatus = changesTasks(service.spec, spec) ? status('updating', now, 'update in progress') : service.updateStatus;
  return { ...service, spec, previousSpec: service.spec, updateStatus };
}

/**
 * A service rolled back to its previous spec (the caller has checked there is one): the two specs swap, so a second
 * rollback returns to where the first began, and the rollback settings drive the rollout.
 */
export function rolledBack(service: Service, previous: ServiceSpec, now: number, message: string): Service {
  return { ...service, spec: previous, previousSpec: service.spec, updateStatus: status('rollback_started', now, message) };
}
