import type { Task } from '@shoal/api';
import type { ControlComponents } from './components.js';
import { unary } from './handlers.js';
import { findNode, findService } from './refs.js';

export function taskHandlers(c: ControlComponents) {
  const { store } = c;
  return {
    ListTasks: unary(async (req: { serviceRefs: string[]; nodeRefs: string[] }) => {
      const serviceIds = req.serviceRefs.map((r) => findService(store, r).id);
      const nodeIds = new Set(req.nodeRefs.map((r) => findNode(store, r).id));
      let tasks: Task[] = serviceIds.length ? serviceIds.flatMap((id) => store.findTasks({ serviceId: id })) : store.all('tasks');
      if (nodeIds.size) tasks = tasks.filter((t) => nodeIds.has(t.nodeId));
      return { tasks };
    }),

  };
}
