import { newId, type Cluster, type Node, type Rand } from '@shoal/api';
import type { WriteTx } from './store/index.js';
import { hashSecret, newJoinToken } from './dispatcher/index.js';

export const DEFAULT_HEARTBEAT_MS = 5_000;
export const DEFAULT_TASK_HISTORY = 5;

/** Creates the cluster and this manager's node on an empty store; returns the manager's node id. */
export function initCluster(tx: WriteTx, rand: Rand, opts: { heartbeatPeriodMs: number; hostname: string; addr: string }): string {
  const clusterId = newId(rand);
  const nodeId = newId(rand);
  const cluster: Cluster = {
    id: clusterId,
    meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { name: 'default', heartbeatPeriodMs: opts.heartbeatPeriodMs, taskHistoryLimit: DEFAULT_TASK_HISTORY },
    workerToken: newJoinToken(clusterId, rand),
    managerToken: newJoinToken(clusterId, rand),
    createdBy: nodeId,
  };
  tx.create('clusters', cluster);
  const node: Node = {
    id: nodeId,
    meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role: 'manager', availability: 'active' },
    description: { hostname: opts.hostname, platform: { os: 'linux', architecture: '' }, resources: { nanoCpus: 0, memoryBytes: 0 }, engineLabels: {}, engineVersion: '' },
    status: { state: 'ready', message: '', addr: opts.addr, agent: false },
    managerStatus: { addr: opts.addr, leader: true, reachability: 'reachable' },
    secretHash: '',
  };
  tx.create('nodes', node);
  return nodeId;
}

/** At every start the manager's node gets a fresh session secret (for an agent in the same process) and its address. */
export function refreshSelf(tx: WriteTx, nodeId: string, secret: string, addr: string): void {
  const node = tx.get('nodes', nodeId);
  if (!node) return;
  tx.update('nodes', {
    ...node,
    secretHash: hashSecret(secret),
    status: { ...node.status, addr, state: node.status.agent ? node.status.state : 'ready' },
    managerStatus: { addr, leader: true, reachability: 'reachable' },
  });
}
