import type { TaskState } from './types.js';

// The numbers of proto/shoal/v1/objects.proto: spaced so that "only forward" is a comparison.
export const TASK_STATE_ORDER: Readonly<Record<TaskState, number>> = {
  NEW: 0, PENDING: 64, ASSIGNED: 192, ACCEPTED: 256, PREPARING: 320, READY: 384, STARTING: 448,
  RUNNING: 512, COMPLETE: 576, SHUTDOWN: 640, FAILED: 704, REJECTED: 768, REMOVE: 800, ORPHANED: 832,
};

export function stateOrder(state: TaskState): number {
  return TASK_STATE_ORDER[state];
}

export function isAfter(a: TaskState, b: TaskState): boolean {
  return TASK_STATE_ORDER[a] > TASK_STATE_ORDER[b];
}

/** A task in a final state runs no container and never changes again. */
export function isTerminal(state: TaskState): boolean {
  return TASK_STATE_ORDER[state] > TASK_STATE_ORDER.RUNNING;
}

/**
 * A state the managers act on as soon as it is known: the task runs (a rollout's next slot, the routing mesh) or has
 * ended (restarts, a stop-first successor, a rollout's failures). The states before RUNNING only inform.
 */
export function isActionable(state: TaskState): boolean {
  return TASK_STATE_ORDER[state] >= TASK_STATE_ORDER.RUNNING;
}

/** Docker-style label of a state: "Running", "Preparing". */
export function stateTitle(state: TaskState): string {
  return state.charAt(0) + state.slice(1).toLowerCase();
}
