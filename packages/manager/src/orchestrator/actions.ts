import { newId } from '@shoal/api';
import type { Rand, Service, Task, TaskState } from '@shoal/api';

/** What a reconcile function asks the loop to write, all in one store update. */
export type TaskAction =
  | { readonly kind: 'create'; readonly task: Task }
  | { readonly kind: 'update'; readonly task: Task }
  | { readonly kind: 'delete'; readonly taskId: string };

/** What every new task of a service copies from it. */
export type TaskTemplate = Pick<Task, 'serviceId' | 'serviceName' | 'spec' | 'endpoint' | 'registryAuth'>;

/**
 * Copies the service's task spec once: tasks keep the spec they were made from whatever later happens
 * to the service object, and the tasks made in one pass share the copy (tasks are never mutated).
 */
export function taskTemplate(service: Service): TaskTemplate {
  const { spec } = service;
  return structuredClone({
    serviceId: service.id, serviceName: spec.annotations.name, spec: spec.task, endpoint: spec.endpoint, registryAuth: spec.registryAuth,
  });
}

/**
 * A new attempt in a slot (replicated: slot ≥ 1, node ''; global: slot 0 on its node), state NEW. One created
 * desired READY starts at `startAt` once the other tasks of its slot have stopped (see dueStarts).
 */
export function newTask(
  template: TaskTemplate, slot: number, nodeId: string, desiredState: TaskState, now: number, rand: Rand, startAt = now,
): Task {
  // Fields written out in the order of the Task type (no spread): every task gets the same object shape.
  return {
    id: newId(rand),
    meta: { version: 0, createdAt: now, updatedAt: now },
    serviceId: template.serviceId,
    serviceName: template.serviceName,
    slot,
    nodeId,
    spec: template.spec,
    status: { timestamp: now, state: 'NEW', message: 'created', err: '', container: { containerId: '', pid: 0, exitCode: 0, startedAt: 0 }, ports: [], health: '' },
    desiredState,
    endpoint: template.endpoint,
    registryAuth: template.registryAuth,
    startAt,
  };
}

/** An update that changes only the desired state (a shallow copy: inputs are never mutated). */
export function setDesired(task: Task, desiredState: TaskState): TaskAction {
  return { kind: 'update', task: { ...task, desiredState } };
}
