import { InvalidArgumentError, type Info } from '@shoal/api';
import { newJoinToken } from '../dispatcher/index.js';
import type { ControlComponents } from './components.js';
import { unary } from './handlers.js';
import { timingOrDefault } from '../raft-timing.js';

/** Info, cluster settings and join tokens. */
export function clusterHandlers(c: ControlComponents) {
  const { store } = c;
  return {
    // Answered by every manager itself (not forwarded): its own view of the cluster and of the Raft membership.
    GetInfo: unary(async (): Promise<Info> => {
      const cluster = store.cluster();
      const leader = c.membership.leaderInfo();
      // A follower hears only from the leader: who reaches whom is the leader's to say, when it can be asked.
      const fromLeader = await c.askLeader<Info>('GetInfo', {}, 1_000);
      const managers = fromLeader?.managers ?? c.membership.members().map((m) => ({
        nodeId: m.id, addr: m.addr, leader: m.id === leader.id, reachability: m.reachable ? 'reachable' : 'unreachable',
      }));
      return {
        clusterId: cluster?.id ?? '', nodeId: c.self.nodeId, addr: c.self.addr, isLeader: c.membership.isLeader,
        leaderId: leader.id, leaderAddr: leader.addr, managers,
        nodes: store.count('nodes'), services: store.count('services'), tasks: store.count('tasks'),
        heartbeatPeriodMs: cluster?.spec.heartbeatPeriodMs ?? 0, version: c.self.version, dataDir: c.self.dataDir,
        raft: timingOrDefault(cluster?.spec.raft),
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
