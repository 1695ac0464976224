import type { Node, Service, Task, TaskState } from '@shoal/api';

export function service(id: string, name: string, image = 'img:1'): Service {
  return {
    id, meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { annotations: { name, labels: {} }, mode: 'replicated', replicas: 1, task: { container: { image } } },
    updateStatus: { state: '', startedAt: 0, completedAt: 0, message: '' },
  } as unknown as Service;
}

export function node(id: string, hostname: string): Node {
  return {
    id, meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role: 'worker', availability: 'active' },
    description: { hostname },
    status: { state: 'ready', message: '', addr: '127.0.0.2', agent: true, managerListen: '' },
  } as unknown as Node;
}

export function task(id: string, serviceId: string, serviceName: string, slot: number, nodeId = '', state: TaskState = 'NEW'): Task {
  return {
    id, serviceId, serviceName, nodeId, slot, meta: { version: 0, createdAt: 0, updatedAt: 0 },
    status: { timestamp: 0, state, message: '', err: '', health: '' }, desiredState: 'RUNNING',
  } as unknown as Task;
}
