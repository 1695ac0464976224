// The leader's side of `shoal manager --join`: the token decides, the node is recorded before the voter is added,
// a failed add leaves nothing behind, and a retried join is answered again without a second change.
import { describe, expect, it } from 'vitest';
import { createLogger, GrpcStatus, seededRand, FakeClock, type RaftJoinRequest, type RaftJoinResponse, type ServiceError } from '@shoal/api';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { initCluster } from '../../../packages/manager/src/cluster-init.js';
import { JoinService } from '../../../packages/manager/src/membership/join-service.js';
import { hashSecret, sameSecret } from '../../../packages/manager/src/dispatcher/index.js';
import type { Member, Membership } from '../../../packages/manager/src/membership/members.js';
import { NoQuorumError } from '../../../packages/manager/src/raft/errors.js';
import { LocalProposer } from '../store/local-proposer.js';

async function setup(opts: { addFails?: Error } = {}) {
  const store = new MemoryStore(new LocalProposer(), new FakeClock());
  await store.update((tx) => initCluster(tx, seededRand(1), {
    clusterId: 'c1', nodeId: 'm1', nodeSecret: 's', heartbeatPeriodMs: 5000, hostname: 'one', addr: '127.0.0.1:4001',
    raft: { tickMs: 50, heartbeatTicks: 2, electionTicks: 20 },
  }));
  const members: Member[] = [{ id: 'm1', addr: '127.0.0.1:4001', reachable: true }];
  const added: string[] = [];
  const membership: Membership = {
    isLeader: true,
    leaderInfo: () => ({ id: 'm1', addr: '127.0.0.1:4001' }),
    members: () => members,
    reachabilitySettled: () => true,
    addVoter: async (id, addr) => {
      // The node must already be in the store when the voter is added.
      expect(store.get('nodes', id)?.spec.role).toBe('manager');
      if (opts.addFails) throw opts.addFails;
      added.push(id);
      members.push({ id, addr, reachable: true });
      return 1;
    },
    removeVoter: () => Promise.reject(new Error('unexpected')),
    transferLeadership: () => Promise.reject(new Error('unexpected')),
  };
  const service = new JoinService({ store, membership, logger: createLogger('test', 'silent') });
  const join = (req: Partial<RaftJoinRequest>) => new Promise<RaftJoinResponse>((resolve, reject) => {
    const full: RaftJoinRequest = { token: store.cluster()!.managerToken, nodeId: 'm2', addr: '127.0.0.1:4002', hostname: 'two', secretHash: 'h', ...req };
    (service.handlers().Join as (c: unknown, cb: (e: ServiceError | null, r?: RaftJoinResponse) => void) => void)(
      { request: full }, (err, res) => (err ? reject(err) : resolve(res!)));
  });
  return { store, join, added };
}

describe('JoinService', () => {
  it('adds a manager with the manager token: node first, then voter, and answers every voter', async () => {
    const { store, join, added } = await setup();
    const answer = await join({});
    // The new manager ticks as the cluster does.
    expect(answer).toEqual({ clusterId: 'c1', members: { m1: '127.0.0.1:4001', m2: '127.0.0.1:4002' }, raft: { tickMs: 50, heartbeatTicks: 2, electionTicks: 20 } });
    expect(added).toEqual(['m2']);
    const node = store.get('nodes', 'm2')!;
    expect(node.spec.role).toBe('manager');
    expect(node.managerStatus.addr).toBe('127.0.0.1:4002');
    expect(node.secretHash).toBe('h');
    expect(node.description.hostname).toBe('two');
  });

  it('joins a promoted agent\'s manager as that agent\'s node: its status kept, its agent\'s secret still valid', async () => {
    const { store, join, added } = await setup();
    await store.update((tx) => tx.create('nodes', {
      id: 'n1', meta: { version: 0, createdAt: 0, updatedAt: 0 },
      spec: { labels: { zone: 'a' }, role: 'manager', availability: 'active' },
      description: { hostname: 'node-1', platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 1 << 30 }, engineLabels: {}, engineVersion: '27.0' },
      status: { state: 'ready', message: '', addr: '127.0.0.2', agent: true, managerListen: '127.0.0.2:4243' },
      managerStatus: { addr: '', leader: false, reachability: '' },
      secretHash: hashSecret('agent-secret'),
    }));
    await join({ nodeId: 'n1', addr: '127.0.0.2:4243', hostname: 'node-1', secretHash: hashSecret('agent-secret') });
    expect(added).toEqual(['n1']);
    const node = store.get('nodes', 'n1')!;
    expect(node.managerStatus.addr).toBe('127.0.0.2:4243');
    expect(sameSecret(hashSecret('agent-secret'), node.secretHash)).toBe(true);
    expect(node.status).toEqual({ state: 'ready', message: '', addr: '127.0.0.2', agent: true, managerListen: '127.0.0.2:4243' });
    expect(node.spec.labels).toEqual({ zone: 'a' });
    expect(node.description.engineVersion).toBe('27.0');
  });

  it('answers a retried join again without a second membership change', async () => {
    const { join, added } = await setup();
    await join({});
    expect((await join({})).members).toEqual({ m1: '127.0.0.1:4001', m2: '127.0.0.1:4002' });
    expect(added).toEqual(['m2']);
  });

  it('refuses the worker token, a wrong token, a bad address and taken ids or addresses, changing nothing', async () => {
    const { store, join, added } = await setup();
    const refusal = (req: Partial<RaftJoinRequest>) => join(req).then(() => undefined, (e: ServiceError) => [e.code, e.details]);
    expect(await refusal({ token: store.cluster()!.workerToken })).toEqual([GrpcStatus.PERMISSION_DENIED,
      'that is the worker join token: a manager joins with the manager token (shoal join-token manager)']);
    expect(await refusal({ token: 'SHTKN-1-c1-00' })).toEqual([GrpcStatus.UNAUTHENTICATED,
      'invalid manager join token: get the current one with shoal join-token manager']);
    expect(await refusal({ addr: 'nohost' })).toEqual([GrpcStatus.INVALID_ARGUMENT, 'invalid manager address "nohost": use HOST:PORT']);
    expect(await refusal({ nodeId: '' })).toEqual([GrpcStatus.INVALID_ARGUMENT, 'a joining manager must name its node id']);
    expect(await refusal({ nodeId: 'm1', addr: '127.0.0.1:4009' })).toEqual([GrpcStatus.ALREADY_EXISTS, 'manager m1 is already a member, at 127.0.0.1:4001']);
    expect(await refusal({ addr: '127.0.0.1:4001' })).toEqual([GrpcStatus.ALREADY_EXISTS, 'address 127.0.0.1:4001 is already used by manager m1']);
    expect(added).toEqual([]);
    expect(store.all('nodes').map((n) => n.id)).toEqual(['m1']);
  });

  it('removes the node again when the voter cannot be added', async () => {
    const { store, join } = await setup({ addFails: new NoQuorumError(1, 3) });
    await expect(join({})).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE, details: 'no quorum: 1 of 3 managers reachable' });
    expect(store.get('nodes', 'm2')).toBeUndefined();
  });
});
