import { isDeepStrictEqual } from 'node:util';
import type { Service, ServiceSpec, Task, UpdateStatus } from '@shoal/api';

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

/**
 * Tells whether a task runs its service's current spec (task spec and endpoint). Tasks made in one pass share
 * their spec object, so each distinct object is compared once.
 */
export function currentSpecTest(service: Service): (task: Task) => boolean {
  const seen = new Map<object, boolean>();
  const same = (a: object, b: object) => {
    let r = seen.get(a);
    if (r === undefined) { r = isDeepStrictEqual(a, b); seen.set(a, r); }
    return r;
  };
  return (t) => same(t.spec, service.spec.task) && same(t.endpoint, service.spec.endpoint);
}

/** A previous spec is there when it has a name (absent messages decode as empty ones). */
export function hasSpec(spec: ServiceSpec | undefined): spec is ServiceSpec {
  return !!spec?.annotations?.name;
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

/**
 * During a start-first rollout a slot may hold a task of the new spec next to one of the old: the test that tells
 * them apart, for the slot reconcilers to keep both. Undefined otherwise (one task per slot).
 */
export function startFirstPairs(service: Service): ((task: Task) => boolean) | undefined {
  return isRollingOut(service) && rolloutConfig(service).order === 'start-first' ? currentSpecTest(service) : undefined;
}
