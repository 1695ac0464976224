import { FailedPreconditionError, newId, newSecret, type Cluster, type Node, type RaftTiming, type Rand } from '@shoal/api';
import { DEFAULT_RAFT_TIMING, timingOrDefault } from './raft-timing.js';
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
  /** The session secret of this node's own agent (with `--agent`); its hash is in the node object. */
  readonly nodeSecret: string;
  /** How the cluster ticks: chosen by its founder, learnt by a joining manager, needed before the log is read. */
  readonly raft: RaftTiming;
}

const IDENTITY_FILE = 'identity.json';

/** The identity kept in the data dir, if there is one. */
export async function readIdentity(dataDir: string, rand: Rand): Promise<Identity | undefined> {
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
    const raft = timingOrDefault(parsed.raft);
    if (typeof parsed.nodeSecret === 'string') return { clusterId: parsed.clusterId, nodeId: parsed.nodeId, nodeSecret: parsed.nodeSecret, raft };
    // Written before node secrets were kept: add one (the leader records its hash at start).
    const identity = { clusterId: parsed.clusterId, nodeId: parsed.nodeId, nodeSecret: newSecret(rand), raft };
    await writeIdentity(dataDir, identity);
    return identity;
  }
  return undefined;
}

/**
 * The identity of the manager whose data dir this is. A new data dir (an empty Raft log) gets fresh ids, written
 * before the log is founded, so a manager that stopped in between founds the same cluster again.
 */
export async function loadIdentity(dataDir: string, rand: Rand, emptyLog: boolean, raft: RaftTiming = DEFAULT_RAFT_TIMING): Promise<Identity> {
  const found = await readIdentity(dataDir, rand);
  if (found) return found;
  if (!emptyLog) throw new FailedPreconditionError(`data dir ${dataDir} holds a Raft log but no ${IDENTITY_FILE}: it cannot be used`);
  const identity: Identity = { clusterId: newId(rand), nodeId: newId(rand), nodeSecret: newSecret(rand), raft };
  await writeIdentity(dataDir, identity);
  return identity;
}

/** Writes the identity atomically (a joining manager writes it once the cluster has accepted it). */
export async function writeIdentity(dataDir: string, identity: Identity): Promise<void> {
  const path = join(dataDir, IDENTITY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(`${path}.tmp`, JSON.stringify(identity) + '\n', { mode: 0o600, flush: true });
  await rename(`${path}.tmp`, path);
}

/** Creates the cluster and this manager's node on an empty store (the first proposal of a new cluster). */
export function initCluster(tx: WriteTx, rand: Rand, opts: Identity & { heartbeatPeriodMs: number; hostname: string; addr: string }): string {
  const { clusterId, nodeId } = opts;
  const cluster: Cluster = {
    id: clusterId,
    meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { name: 'default', heartbeatPeriodMs: opts.heartbeatPeriodMs, taskHistoryLimit: DEFAULT_TASK_HISTORY, raft: opts.raft },
    workerToken: newJoinToken(clusterId, rand),
    managerToken: newJoinToken(clusterId, rand),
    createdBy: nodeId,
  };
  tx.create('clusters', cluster);
  tx.create('nodes', managerNode({ nodeId, hostname: opts.hostname, addr: opts.addr, secretHash: hashSecret(opts.nodeSecret) }));
  return nodeId;
}

/** The node of a manager (the founder's, or one that joined): without an agent until one registers for it. */
export function managerNode(opts: { nodeId: string; hostname: string; addr: string; secretHash: string }): Node {
  return {
    id: opts.nodeId,
    meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role: 'manager', availability: 'active' },
    description: { hostname: opts.hostname, platform: { os: 'linux', architecture: '' }, resources: { nanoCpus: 0, memoryBytes: 0 }, engineLabels: {}, engineVersion: '' },
    status: { state: 'ready', message: '', addr: opts.addr, agent: false, managerListen: '' },
    managerStatus: { addr: opts.addr, leader: false, reachability: '' },
    secretHash: opts.secretHash,
    mesh: [],
  };
}

/** When a manager starts leading, its node gets its current secret hash (kept in identity.json) and address. */
export function refreshSelf(tx: WriteTx, nodeId: string, secret: string, addr: string): void {
  const node = tx.get('nodes', nodeId);
  if (!node) return;
  const secretHash = hashSecret(secret);
  if (node.secretHash === secretHash && node.status.addr === addr && node.managerStatus.addr === addr) return;
  tx.update('nodes', {
    ...node,
    secretHash,
    status: { ...node.status, addr, state: node.status.agent ? node.status.state : 'ready' },
    managerStatus: { ...node.managerStatus, addr },
  });
}
