// Control calls on a manager that does not lead: answered by the leader when there is one, waited on during an
// election, refused at once without a quorum — and a call from outside on a non-loopback port refused.
import { afterEach, describe, expect, it } from 'vitest';
import {
  addControlService, bindServer, call, controlClient, FakeClock, newServer, stopServer, type ControlClient,
  type ControlHandlers, type GrpcServer,
} from '@shoal/api';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { ControlRouter } from '../../../packages/manager/src/membership/forward-control.js';
import type { Member, Membership } from '../../../packages/manager/src/membership/members.js';
import { LocalProposer } from '../store/local-proposer.js';

const servers: GrpcServer[] = [];
const clients: ControlClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => stopServer(s, 100)));
});

/** A manager whose only control call, GetCluster, answers with its own name. */
async function manager(name: string, membership: Membership, clock = new FakeClock(), requireManager = false) {
  const store = new MemoryStore(new LocalProposer(), clock);
  const router = new ControlRouter({ store, membership, clock });
  const local = { GetCluster: (_c: unknown, cb: (e: null, r: object) => void) => cb(null, { id: name }) } as unknown as ControlHandlers;
  const server = newServer();
  addControlService(server, router.handlers(local, requireManager));
  const port = await bindServer(server, '127.0.0.1:0');
  servers.push(server);
  const client = controlClient(`127.0.0.1:${port}`);
  clients.push(client);
  return { addr: `127.0.0.1:${port}`, getCluster: () => call(client.getCluster.bind(client), {}, 5_000) as Promise<{ id: string }>, router };
}

function membership(state: { isLeader: boolean; leader: { id: string; addr: string }; members: Member[] }): Membership {
  return {
    get isLeader() { return state.isLeader; },
    leaderInfo: () => state.leader,
    members: () => state.members,
    reachabilitySettled: () => true,
    addVoter: () => Promise.reject(new Error('unexpected')),
    removeVoter: () => Promise.reject(new Error('unexpected')),
    transferLeadership: () => Promise.reject(new Error('unexpected')),
  };
}

const three = (reachable: boolean[]): Member[] => reachable.map((r, i) => ({ id: `m${i + 1}`, addr: `127.0.0.1:${i + 1}`, reachable: r }));

describe('ControlRouter', () => {
  it('answers on the leader and forwards from a follower to it', async () => {
    const leader = await manager('leader', membership({ isLeader: true, leader: { id: 'm1', addr: '' }, members: three([true, true, true]) }));
    const follower = await manager('follower', membership({ isLeader: false, leader: { id: 'm1', addr: leader.addr }, members: three([true, true, true]) }));
    expect((await leader.getCluster()).id).toBe('leader');
    expect((await follower.getCluster()).id).toBe('leader');
  });

  it('waits for an election to end instead of refusing, and answers from the new leader', async () => {
    const clock = new FakeClock();
    const state = { isLeader: false, leader: { id: '', addr: '' }, members: three([true, true, true]) };
    const m = await manager('self', membership(state), clock);
    const answer = m.getCluster();
    await new Promise((r) => setTimeout(r, 50));
    clock.advance(500);
    state.isLeader = true; // this manager won the election
    state.leader = { id: 'm1', addr: '' };
    clock.advance(25);
    expect((await answer).id).toBe('self');
  });

  it('refuses at once without a quorum, and after the wait when no leader comes', async () => {
    const clock = new FakeClock();
    const cut = await manager('cut', membership({ isLeader: false, leader: { id: '', addr: '' }, members: three([true, false, false]) }), clock);
    await expect(cut.getCluster()).rejects.toMatchObject({ details: 'no quorum: 1 of 3 managers reachable' });
    const waiting = await manager('waiting', membership({ isLeader: false, leader: { id: '', addr: '' }, members: three([true, true, false]) }), clock);
    const answer = waiting.getCluster();
    await new Promise((r) => setTimeout(r, 50));
    for (let t = 0; t < 110; t++) clock.advance(25);
    await expect(answer).rejects.toMatchObject({ details: 'no leader: an election is under way, try again in a moment' });
  });

  it('on a port that must serve managers only, refuses a call no manager forwarded', async () => {
    const m = await manager('guarded', membership({ isLeader: true, leader: { id: 'm1', addr: '' }, members: three([true, true, true]) }), new FakeClock(), true);
    await expect(m.getCluster()).rejects.toMatchObject({ details: "the control API is served on the manager's unix socket and on loopback only" });
  });
});
