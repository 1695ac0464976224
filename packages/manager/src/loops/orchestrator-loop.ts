import type { Clock, Logger, Node, Rand, Service, Task } from '@shoal/api';
import type { MemoryStore, WriteTx } from '../store/index.js';
import * as orchestrator from '../orchestrator/index.js';
import type { TaskAction } from '../orchestrator/index.js';
import { DirtyLoop } from './dirty-loop.js';

export interface OrchestratorLoopComponents {
  store: MemoryStore;
  clock: Clock;
  rand: Rand;
  logger: Logger;
}

const NODE = 'node:';

/**
 * Keeps every service at its desired state: node failures and drains, restart policy, rolling updates, replicated
 * slots, one task per node for global services, and task history. Dirty keys are service ids and `node:<id>`.
 */
export function orchestratorLoop(c: OrchestratorLoopComponents): DirtyLoop<string> {
  // Services waiting for a delayed start to fall due, a rollout's next batch or the end of its monitor window.
  const wakeAt = new Map<string, number>();
  const wakeServiceAt = (serviceId: string, at: number) => {
    const known = wakeAt.get(serviceId);
    if (known === undefined || at < known) wakeAt.set(serviceId, at);
  };
  return new DirtyLoop<string>({
    name: 'orchestrator',
    store: c.store,
    clock: c.clock,
    logger: c.logger,
    mark(e, dirty) {
      if (e.table === 'services') dirty.add(e.object.id);
      else if (e.table === 'tasks') dirty.add((e.object as Task).serviceId);
      else if (e.table === 'nodes') dirty.add(NODE + e.object.id);
      else if (e.table === 'clusters') for (const s of c.store.all('services')) dirty.add(s.id);
    },
    all: () => [...c.store.all('nodes').map((n) => NODE + n.id), ...c.store.all('services').map((s) => s.id)],
    reconcile(tx, dirty, now) {
      const nodes = tx.all('nodes');
      const nodesById = new Map(nodes.map((n) => [n.id, n]));
      const services = new Set<string>();
      for (const [id, at] of wakeAt) if (at <= now) { services.add(id); wakeAt.delete(id); }
      for (const key of dirty) {
        if (!key.startsWith(NODE)) { services.add(key); continue; }
        const nodeId = key.slice(NODE.length);
        const tasksOnNode = tx.findTasks({ nodeId });
        for (const t of tasksOnNode) services.add(t.serviceId);
        // Global services may gain or lose this node.
        for (const s of tx.all('services')) if (s.spec.mode === 'global') services.add(s.id);
        const node = nodesById.get(nodeId);
        if (node) {
          const servicesById = new Map(tx.all('services').map((s) => [s.id, s]));
          apply(tx, orchestrator.reconcileNodeDown(node, tasksOnNode, servicesById));
          apply(tx, orchestrator.enforceNodePlacement(node, tx.findTasks({ nodeId })));
        }
      }
      const historyLimit = tx.cluster()?.spec.taskHistoryLimit ?? orchestrator.DEFAULT_TASK_HISTORY_LIMIT;
      for (const serviceId of services) {
        const service = tx.get('services', serviceId);
        if (service) reconcileService(tx, service, nodes, nodesById, now);
        apply(tx, orchestrator.reapServiceTasks(service, tx.findTasks({ serviceId }), nodesById, historyLimit));
        if (service) {
          const due = orchestrator.dueStarts(tx.findTasks({ serviceId }), nodesById, now);
          apply(tx, due.actions);
          if (due.nextWakeAt !== undefined) wakeServiceAt(serviceId, due.nextWakeAt);
        }
      }
      let next = Infinity;
      for (const at of wakeAt.values()) next = Math.min(next, at);
      return next === Infinity ? undefined : Math.max(0, next - now);
    },
  });

  function reconcileService(tx: WriteTx, given: Service, nodes: Node[], nodesById: Map<string, Node>, now: number): void {
    let service = given;
    // Restarts first, so the slot reconcilers see the replacement attempts.
    const tasks = tx.findTasks({ serviceId: service.id });
    const bySlot = new Map<string, Task[]>();
    for (const t of tasks) {
      const k = orchestrator.slotKey(t);
      const list = bySlot.get(k);
      if (list) list.push(t); else bySlot.set(k, [t]);
    }
    for (const t of tasks) {
      apply(tx, orchestrator.superviseRestart(service, t, bySlot.get(orchestrator.slotKey(t)) ?? [], now, c.rand));
    }
    // The rollout next, so the slot reconcilers count the tasks it replaces as they now are.
    const plan = orchestrator.planUpdate(service, tx.findTasks({ serviceId: service.id }), nodesById, now, c.rand, () => tx.all('services'));
    apply(tx, plan.actions);
    if (plan.wakeAt !== undefined) wakeServiceAt(service.id, plan.wakeAt);
    if (plan.service) {
      tx.update('services', plan.service);
      service = tx.get('services', service.id)!;
      c.logger.info({ service: service.spec.annotations.name, state: service.updateStatus.state, message: service.updateStatus.message }, 'rollout state changed');
    }
    const current = tx.findTasks({ serviceId: service.id });
    apply(tx, service.spec.mode === 'global'
      ? orchestrator.reconcileGlobal(service, current, nodes, now, c.rand)
      : orchestrator.reconcileReplicated(service, current, nodesById, now, c.rand));
  }
}

function apply(tx: WriteTx, actions: readonly TaskAction[]): void {
  for (const a of actions) {
    if (a.kind === 'create') tx.create('tasks', a.task);
    else if (a.kind === 'update') tx.update('tasks', a.task);
    else tx.delete('tasks', a.taskId);
  }
}
