import type { Clock, Logger, Node, Task } from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import * as scheduler from '../scheduler/index.js';
import { DirtyLoop } from './dirty-loop.js';

export interface SchedulerLoopComponents {
  store: MemoryStore;
  clock: Clock;
  logger: Logger;
}

/** Bursts of new tasks within this window are placed as one batch. */
const DEBOUNCE_MS = 10;

/**
 * Places new tasks on nodes. The loop keeps the scheduler's node view and the set of unplaced tasks from
 * store events; a change of a node or a task that frees resources retries every pending task.
 */
export function schedulerLoop(c: SchedulerLoopComponents): DirtyLoop<string> {
  let nodes = scheduler.NodeSet.from(c.store.all('nodes'), c.store.all('tasks'));
  const unplaced = new Set(c.store.all('tasks').filter(scheduler.needsScheduling).map((t) => t.id));
  const RETRY_ALL = '*';
  return new DirtyLoop<string>({
    name: 'scheduler',
    store: c.store,
    clock: c.clock,
    logger: c.logger,
    debounceMs: DEBOUNCE_MS,
    mark(e, dirty) {
      if (e.table === 'nodes') {
        if (e.kind === 'delete') nodes.removeNode(e.object.id); else nodes.setNode(e.object as Node);
        dirty.add(RETRY_ALL);
      } else if (e.table === 'tasks') {
        const t = e.object as Task;
        if (e.kind === 'delete') {
          nodes.removeTask(t.id);
          unplaced.delete(t.id);
          dirty.add(RETRY_ALL);
          return;
        }
        const held = scheduler.holdsResources(t);
        nodes.addTask(t);
        if (scheduler.needsScheduling(t)) { unplaced.add(t.id); dirty.add(t.id); } else unplaced.delete(t.id);
        // A task that stopped holding resources may let a pending one fit.
        if (!held && e.kind === 'update' && e.old && scheduler.holdsResources(e.old as Task)) dirty.add(RETRY_ALL);
      }
    },
    all: () => ['*'],
    reconcile(tx, dirty, now) {
      const ids = dirty.has(RETRY_ALL) ? unplaced : dirty;
      const tasks: Task[] = [];
      for (const id of ids) {
        const t = tx.get('tasks', id);
        if (t && scheduler.needsScheduling(t)) tasks.push(t);
      }
      if (tasks.length === 0) return undefined;
      let result: scheduler.ScheduleResult;
      try {
        result = scheduler.scheduleTasks(nodes, tasks);
      } catch (err) {
        // The view may now hold placements that will not be written: rebuild it from the store.
        nodes = scheduler.NodeSet.from(c.store.all('nodes'), c.store.all('tasks'));
        throw err;
      }
      for (const { taskId, nodeId } of result.assigned) {
        const t = tx.get('tasks', taskId)!;
        tx.update('tasks', { ...t, nodeId, status: { ...t.status, timestamp: now, state: 'ASSIGNED', message: 'scheduler assigned task to node', err: '' } });
      }
      for (const { taskId, reason } of result.pending) {
        const t = tx.get('tasks', taskId)!;
        if (t.status.state === 'PENDING' && t.status.err === reason) continue;
        tx.update('tasks', { ...t, status: { ...t.status, timestamp: now, state: 'PENDING', message: 'pending task scheduling', err: reason } });
      }
      return undefined;
    },
  });
}
