import { stateOrder } from '@shoal/api';
import type { Task } from '@shoal/api';
import { NodeHeap } from './node-heap.js';
import type { NodeInfo } from './node-info.js';
import { taskDemand } from './node-info.js';
import type { NodeSet } from './node-set.js';
import { Pipeline } from './pipeline.js';

export interface Assignment { readonly taskId: string; readonly nodeId: string }
export interface PendingTask { readonly taskId: string; readonly reason: string }
export interface ScheduleResult { readonly assigned: Assignment[]; readonly pending: PendingTask[] }

const ASSIGNED = stateOrder('ASSIGNED');

/** A task the scheduler should place: not yet on a node's way, and meant to run (now or after a restart delay). */
export function needsScheduling(task: Task): boolean {
  return stateOrder(task.status.state) < ASSIGNED && (task.desiredState === 'RUNNING' || task.desiredState === 'READY');
}

/**
 * Places tasks on nodes. Tasks with a preset node (global services) are only checked against it; the
 * others are placed in batches of one service and one placement requirement, each batch spread with a heap
 * ordered by (tasks of the service, tasks overall, node id). Every placement is charged to `nodes`, so
 * the next call sees it. Tasks that do not need scheduling are skipped. Deterministic for a given input.
 */
export function scheduleTasks(nodes: NodeSet, tasks: readonly Task[], pipeline: Pipeline = new Pipeline()): ScheduleResult {
  const result: ScheduleResult = { assigned: [], pending: [] };
  const batches = new Map<string, Task[]>();
  for (const t of tasks) {
    if (!needsScheduling(t)) continue;
    if (t.nodeId !== '') { schedulePreassigned(nodes, t, pipeline, result); continue; }
    const key = batchKey(t);
    const batch = batches.get(key);
    if (batch) batch.push(t); else batches.set(key, [t]);
  }
  for (const batch of batches.values()) scheduleBatch(nodes, batch, pipeline, result);
  return result;
}

// Tasks of one service whose requirements are equal are interchangeable for the filters.
function batchKey(t: Task): string {
  const r = t.spec.resources.reservations;
  const ports = t.endpoint.ports.map((p) => `${p.publishMode}:${p.protocol}/${p.publishedPort}`).join(',');
  return `${t.serviceId}\n${r.nanoCpus}\n${r.memoryBytes}\n${t.spec.placement.constraints.join('\n')}\n${ports}`;
}

function schedulePreassigned(nodes: NodeSet, t: Task, pipeline: Pipeline, result: ScheduleResult): void {
  pipeline.setTask(t);
  const info = nodes.get(t.nodeId);
  if (info && pipeline.process(info)) {
    nodes.place(t.id, info, taskDemand(t));
    result.assigned.push({ taskId: t.id, nodeId: info.id });
  } else {
    result.pending.push({ taskId: t.id, reason: info ? pipeline.explain() : `node ${t.nodeId} is not in the cluster` });
  }
}

function scheduleBatch(nodes: NodeSet, batch: readonly Task[], pipeline: Pipeline, result: ScheduleResult): void {
  const first = batch[0];
  if (!first) return;
  pipeline.setTask(first);
  const eligible: NodeInfo[] = [];
  for (const info of nodes.values()) if (pipeline.process(info)) eligible.push(info);
  const serviceId = first.serviceId;
  const heap = new NodeHeap(eligible, (a, b) => {
    const sa = a.activeTasksOf(serviceId);
    const sb = b.activeTasksOf(serviceId);
    if (sa !== sb) return sa < sb;
    if (a.activeTasks !== b.activeTasks) return a.activeTasks < b.activeTasks;
    return a.id < b.id;
  });
  // All tasks of the batch make the same demand, so one record serves them all.
  const demand = taskDemand(first);
  let reason: string | undefined;
  for (const t of batch) {
    const info = heap.peek();
    if (!info) {
      reason ??= pipeline.explain();
      result.pending.push({ taskId: t.id, reason });
      continue;
    }
    nodes.place(t.id, info, demand);
    result.assigned.push({ taskId: t.id, nodeId: info.id });
    // Resources and host ports shrink with each placement: a node that is now full leaves the batch.
    if (pipeline.process(info)) heap.topChanged(); else heap.dropTop();
  }
}
