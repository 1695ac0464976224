import { FailedPreconditionError, newId, type Cluster, type Node, type Rand } from '@shoal/api';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WriteTx } from './store/index.js';
import { hashSecret, newJoinToken } from './dispatcher/index.js';

export const DEFAULT_HEARTBEAT_MS = 5_000;
export const DEFAULT_TASK_HISTORY = 5;

/** Who this manager is: known before the store is read, since the Raft transport and log are named by it. */
export interface Identity {
  readonly clusterId: string;
  readonly nodeId: string;
}

const IDENTITY_FILE = 'identity.json';

/**
 * The cluster and node ids of the manager whose data dir this is. A new data dir (an empty Raft log) gets fresh ids,
 * written before the log is founded, so a manager that stopped in between founds the same cluster again.
 */
export async function loadIdentity(dataDir: string, rand: Rand, emptyLog: boolean): Promise<Identity> {
  const path = join(dataDir, IDENTITY_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new FailedPreconditionError(`cannot read ${path}: ${(err as Error).message}`);
  }
  if (text !== undefined) {
    let parsed: Partial<Identity> | undefined;
    try {
      parsed = JSON.parse(text) as Partial<Identity>;
    } catch {
      // reported below
    }
    if (typeof parsed?.clusterId !== 'string' || typeof parsed.nodeId !== 'string') throw new FailedPreconditionError(`${path} is corrupt: it must name clusterId and nodeId`);
    return { clusterId: parsed.clusterId, nodeId: parsed.nodeId };
  }
  if (!emptyLog) throw new FailedPreconditionError(`data dir ${dataDir} holds a Raft log but no ${IDENTITY_FILE}: it cannot be used`);
  const identity: Identity = { clusterId: newId(rand), nodeId: newId(rand) };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(`${path}.tmp`, JSON.stringify(identity) + '\n', { mode: 0o600, flush: true });
  await rename(`${path}.tmp`, path);
  return identity;
}

/** Creates the cluster and this manager's node on an empty store (the first proposal of a new cluster). */
export function initCluster(tx: WriteTx, rand: Rand, opts: Identity & { heartbeatPeriodMs: number; hostname: string; addr: string }): string {
  const { clusterId, nodeId } = opts;
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
