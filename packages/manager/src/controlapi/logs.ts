import { isTerminal, type LogLine, type Task } from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import type { ControlComponents } from './components.js';
import { serverStream } from './handlers.js';
import { findService, findTask } from './refs.js';

/** Service logs: the agents of the nodes that ran the tasks stream their containers' logs through the dispatcher. */
export function logHandlers(c: ControlComponents) {
  const { store } = c;
  return {
    ServiceLogs: serverStream(async (req: { ref: string; follow: boolean; tail: number; since: number }, write: (l: LogLine) => void, onCancel) => {
      const tasks = logTasks(store, req.ref);
      const byNode = new Map<string, string[]>();
      for (const t of tasks) byNode.set(t.nodeId, [...(byNode.get(t.nodeId) ?? []), t.id]);
      const buffered: LogLine[] = [];
      await new Promise<void>((resolve) => {
        let open = byNode.size;
        if (open === 0) return resolve();
        const cancels = [...byNode].map(([nodeId, taskIds]) => c.dispatcher.subscribeLogs(nodeId, { taskIds, follow: req.follow, tail: req.tail, since: req.since }, (batch) => {
          // Without --follow, lines of all nodes are merged in time order; following, they go out as they come.
          if (req.follow) batch.lines.forEach(write); else buffered.push(...batch.lines);
          if (batch.error) c.logger.warn({ nodeId, error: batch.error }, 'log subscription failed');
          if (batch.done && --open === 0) resolve();
        }));
        onCancel(() => { for (const cancel of cancels) cancel(); resolve(); });
      });
      buffered.sort((a, b) => a.timestampNs - b.timestampNs).forEach(write);
    }),
  };
}

/** The tasks whose containers a logs request reads: a task by id, or a service's tasks that ran on a node. */
function logTasks(store: MemoryStore, ref: string): Task[] {
  try {
    return [findTask(store, ref)].filter((t) => t.nodeId);
  } catch {
    const service = findService(store, ref);
    return store.findTasks({ serviceId: service.id }).filter((t) => t.nodeId && (t.status.container.containerId || !isTerminal(t.status.state)));
  }
}
