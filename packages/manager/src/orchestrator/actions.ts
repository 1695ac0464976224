import { newId } from '@shoal/api';
import type { Rand, Service, Task, TaskState } from '@shoal/api';

/** What a reconcile function asks the loop to write, all in one store update. */
export type TaskAction =
  | { readonly kind: 'create'; readonly task: Task }
  | { readonly kind: 'update'; readonly task: Task }
  | { readonly kind: 'delete'; readonly taskId: string };

/** A new attempt of a service's task in a slot (replicated: slot ≥ 1, node ''; global: slot 0 on its node). */
export function newTask(service: Service, slot: number, nodeId: string, desiredState: TaskState, now: number, rand: Rand): Task {
  return {
    id: newId(rand),
    meta: { version: 0, createdAt: now, updatedAt: now },
    serviceId: service.id,
    serviceName: service.spec.annotations.name,
    slot,
    nodeId,
    // Copies, so the task keeps the spec it was made from whatever later happens to the service object.
    spec: structuredClone(service.spec.task),
    status: { timestamp: now, state: 'NEW', message: 'created', err: '', container: { containerId: '', pid: 0, exitCode: 0 }, ports: [] },
    desiredState,
    endpoint: structuredClone(service.spec.endpoint),
    registryAuth: structuredClone(service.spec.registryAuth),
  };
}

/** An update that changes only the desired state (a shallow copy: inputs are never mutated). */
export function setDesired(task: Task, desiredState: TaskState): TaskAction {
  return { kind: 'update', task: { ...task, desiredState } };
}
