import { InvalidArgumentError, type Info } from '@shoal/api';
import { newJoinToken } from '../dispatcher/index.js';
import type { ControlComponents } from './components.js';
import { unary } from './handlers.js';

/** Info, cluster settings and join tokens. */
export function clusterHandlers(c: ControlComponents) {
  const { store } = c;
  return {
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

  };
}
