import {
  FailedPreconditionError, InvalidArgumentError, newId, isTerminal, type Clock, type ControlHandlers, type Info,
  type LogLine, type Rand, type Service, type Task, type Logger, type Node,
} from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import type { Dispatcher } from '../dispatcher/index.js';
import { newJoinToken } from '../dispatcher/index.js';
import { findNode, findService, findTask } from './refs.js';
import { checkPortConflicts, validateSpec, withDefaults } from './service-spec.js';
import { unary, serverStream } from './handlers.js';

export interface ControlComponents {
  store: MemoryStore;
  dispatcher: Dispatcher;
  clock: Clock;
  rand: Rand;
  logger: Logger;
  /** This manager: its node id, address and data dir, for Info. */
  self: { nodeId: string; addr: string; dataDir: string; version: string };
}

const AVAILABILITIES = ['active', 'pause', 'drain'];

/** The control API: validation here, typed errors out; gRPC status codes appear only in handlers.ts. */
export function controlHandlers(c: ControlComponents): ControlHandlers {
  const { store } = c;
  const h = {
    GetInfo: unary(async (): Promise<Info> => {
      const cluster = store.cluster()!;
      return {
        clusterId: cluster.id, nodeId: c.self.nodeId, addr: c.self.addr, isLeader: true, leaderAddr: c.self.addr,
        nodes: store.count('nodes'), services: store.count('services'), tasks: store.count('tasks'),
        heartbeatPeriodMs: cluster.spec.heartbeatPeriodMs, version: c.self.version, dataDir: c.self.dataDir,
      };
    }),
    GetCluster: unary(async () => store.cluster()!),
    UpdateCluster: unary(async (req: { heartbeatPeriodMs: number; taskHistoryLimit: number }) => {
      if (req.heartbeatPeriodMs < 0 || (req.heartbeatPeriodMs > 0 && req.heartbeatPeriodMs < 100)) {
        throw new InvalidArgumentError(`invalid dispatcher heartbeat period ${req.heartbeatPeriodMs}ms: use at least 100ms`);
      }
      if (req.taskHistoryLimit < -1) throw new InvalidArgumentError('invalid task history limit: use 0 or more');
      return store.update((tx) => {
        const cluster = tx.cluster()!;
        const spec = { ...cluster.spec };
        if (req.heartbeatPeriodMs > 0) spec.heartbeatPeriodMs = req.heartbeatPeriodMs;
        if (req.taskHistoryLimit >= 0) spec.taskHistoryLimit = req.taskHistoryLimit;
        const next = { ...cluster, spec };
        tx.update('clusters', next);
        return next;
      });
    }),
    GetJoinToken: unary(async (req: { role: string; rotate: boolean }) => {
      if (req.role !== 'worker' && req.role !== 'manager') throw new InvalidArgumentError(`invalid role "${req.role}": use worker or manager`);
      const cluster = await store.update((tx) => {
        const cl = tx.cluster()!;
        if (!req.rotate) return cl;
        const next = { ...cl, [req.role === 'worker' ? 'workerToken' : 'managerToken']: newJoinToken(cl.id, c.rand) };
        tx.update('clusters', next);
        return next;
      });
      return { token: req.role === 'worker' ? cluster.workerToken : cluster.managerToken, addr: c.self.addr };
    }),

    ListNodes: unary(async () => ({ nodes: store.all('nodes') })),
    GetNode: unary(async (req: { ref: string }) => findNode(store, req.ref)),
    UpdateNode: unary(async (req: { ref: string; availability: string; labelAdd: Record<string, string>; labelRm: string[] }) => {
      if (req.availability && !AVAILABILITIES.includes(req.availability)) {
        throw new InvalidArgumentError(`invalid availability "${req.availability}": use active, pause or drain`);
      }
      for (const k of Object.keys(req.labelAdd)) if (!k) throw new InvalidArgumentError('a node label needs a key');
      return store.update((tx) => {
        const node = findNode(tx, req.ref);
        for (const k of req.labelRm) {
          if (!(k in node.spec.labels)) throw new InvalidArgumentError(`node ${node.description.hostname || node.id} has no label "${k}"`);
        }
        const labels = { ...node.spec.labels, ...req.labelAdd };
        for (const k of req.labelRm) delete labels[k];
        const next: Node = { ...node, spec: { ...node.spec, labels, availability: req.availability || node.spec.availability } };
        tx.update('nodes', next);
        return next;
      });
    }),
    RemoveNode: unary(async (req: { ref: string; force: boolean }) => {
      await store.update((tx) => {
        const node = findNode(tx, req.ref);
        const name = node.description.hostname || node.id;
        if (node.spec.role === 'manager') throw new FailedPreconditionError(`node ${name} is a manager: demote it before removing it`);
        if (!req.force && node.status.state !== 'down') {
          throw new FailedPreconditionError(`node ${name} is not down and can't be removed: use --force to remove it anyway`);
        }
        tx.delete('nodes', node.id);
      });
      return {};
    }),

    ListServices: unary(async () => ({ services: store.all('services') })),
    GetService: unary(async (req: { ref: string }) => findService(store, req.ref)),
    CreateService: unary(async (req: { spec: Service['spec'] }) => {
      const spec = withDefaults(req.spec);
      validateSpec(spec);
      return store.update((tx) => {
        if (tx.serviceByName(spec.annotations.name)) throw new InvalidArgumentError(`a service named "${spec.annotations.name}" already exists`);
        checkPortConflicts(tx, spec);
        const service: Service = { id: newId(c.rand), meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec };
        tx.create('services', service);
        return tx.get('services', service.id)!;
      });
    }),
    UpdateService: unary(async (req: { ref: string; version: number; spec: Service['spec'] }) => {
      const spec = withDefaults(req.spec);
      validateSpec(spec);
      return store.update((tx) => {
        const current = findService(tx, req.ref);
        if (spec.annotations.name !== current.spec.annotations.name) throw new InvalidArgumentError('a service cannot be renamed');
        if (spec.mode !== current.spec.mode) throw new InvalidArgumentError(`the mode of service ${spec.annotations.name} cannot change (it is ${current.spec.mode})`);
        checkPortConflicts(tx, spec, current.id);
        tx.update('services', { ...current, meta: { ...current.meta, version: req.version }, spec });
        return tx.get('services', current.id)!;
      });
    }),
    RemoveService: unary(async (req: { ref: string }) => {
      await store.update((tx) => { tx.delete('services', findService(tx, req.ref).id); });
      return {};
    }),

    ListTasks: unary(async (req: { serviceRefs: string[]; nodeRefs: string[] }) => {
      const serviceIds = req.serviceRefs.map((r) => findService(store, r).id);
      const nodeIds = new Set(req.nodeRefs.map((r) => findNode(store, r).id));
      let tasks: Task[] = serviceIds.length ? serviceIds.flatMap((id) => store.findTasks({ serviceId: id })) : store.all('tasks');
      if (nodeIds.size) tasks = tasks.filter((t) => nodeIds.has(t.nodeId));
      return { tasks };
    }),

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
  return h as unknown as ControlHandlers;
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
