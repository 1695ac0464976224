import {
  AlreadyExistsError, call, grpcCode, InvalidArgumentError, ShoalError, PermissionDeniedError, raftMembershipClient, toServiceError,
  UnauthenticatedError, type Logger, type RaftJoinRequest, type RaftJoinResponse, type RaftMembershipClient,
  type RaftMembershipHandlers, type ServiceError,
} from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import { managerNode } from '../cluster-init.js';
import { sameSecret } from '../dispatcher/index.js';
import { noLeaderError, type Membership } from './members.js';
import { timingOrDefault } from '../raft-timing.js';

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):(\d{1,5})$/;
/** How long a follower waits for the leader's answer to a join it forwarded (adding a voter commits twice). */
const FORWARD_TIMEOUT_MS = 15_000;

export interface JoinServiceOptions {
  store: MemoryStore;
  membership: Membership;
  logger: Logger;
}

/**
 * The Join RPC on the cluster port. The leader checks the manager join token, adds the new manager as a voter and
 * records its node; any other manager forwards the request to the leader, so every manager's address works.
 */
export class JoinService {
  private clients = new Map<string, RaftMembershipClient>();

  constructor(private readonly opts: JoinServiceOptions) {}

  handlers(): RaftMembershipHandlers {
    return {
      Join: (c, cb) => {
        // The leader's answer to a forwarded join passes through as it is.
        this.join(c.request).then((res) => cb(null, res), (err: unknown) => cb(grpcCode(err) !== undefined && !(err instanceof ShoalError) ? err as ServiceError : toServiceError(err) as ServiceError));
      },
    } as RaftMembershipHandlers;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async join(req: RaftJoinRequest): Promise<RaftJoinResponse> {
    const { membership } = this.opts;
    if (!membership.isLeader) return this.forward(req);
    const cluster = this.opts.store.cluster();
    if (!cluster) throw noLeaderError(membership);
    if (sameSecret(req.token, cluster.workerToken)) {
      throw new PermissionDeniedError('that is the worker join token: a manager joins with the manager token (shoal join-token manager)');
    }
    if (!sameSecret(req.token, cluster.managerToken)) throw new UnauthenticatedError('invalid manager join token: get the current one with shoal join-token manager');
    if (!req.nodeId) throw new InvalidArgumentError('a joining manager must name its node id');
    if (!HOST_PORT.test(req.addr)) throw new InvalidArgumentError(`invalid manager address "${req.addr}": use HOST:PORT`);

    const existing = membership.members().find((m) => m.id === req.nodeId);
    if (existing && existing.addr !== req.addr) throw new AlreadyExistsError(`manager ${req.nodeId} is already a member, at ${existing.addr}`);
    const taken = membership.members().find((m) => m.addr === req.addr && m.id !== req.nodeId);
    if (taken) throw new AlreadyExistsError(`address ${req.addr} is already used by manager ${taken.id}`);
    // The node first: once the new voter counts, every commit needs it, and it starts only after this answer.
    const created = await this.opts.store.update((tx) => {
      const node = managerNode({ nodeId: req.nodeId, hostname: req.hostname, addr: req.addr, secretHash: req.secretHash });
      const old = tx.get('nodes', req.nodeId);
      if (old) tx.update('nodes', { ...old, spec: { ...old.spec, role: 'manager' }, managerStatus: node.managerStatus, secretHash: req.secretHash });
      else tx.create('nodes', node);
      return !old;
    });
    // A retried join (its answer was lost) finds the voter already added.
    if (!existing) {
      await membership.addVoter(req.nodeId, req.addr).catch(async (err: unknown) => {
        if (created) await this.opts.store.update((tx) => { if (tx.get('nodes', req.nodeId)) tx.delete('nodes', req.nodeId); }).catch(() => undefined);
        throw err;
      });
    }
    this.opts.logger.info({ nodeId: req.nodeId, addr: req.addr }, 'manager joined');
    return {
      clusterId: cluster.id, members: Object.fromEntries(membership.members().map((m) => [m.id, m.addr])),
      raft: timingOrDefault(cluster.spec.raft),
    };
  }

  private forward(req: RaftJoinRequest): Promise<RaftJoinResponse> {
    const { membership } = this.opts;
    const leader = membership.leaderInfo();
    if (!leader.id || !leader.addr) throw noLeaderError(membership);
    let client = this.clients.get(leader.addr);
    if (!client) {
      client = raftMembershipClient(leader.addr);
      this.clients.set(leader.addr, client);
    }
    return call(client.join.bind(client), req, FORWARD_TIMEOUT_MS);
  }
}
