// The membership decisions: when a manager may leave the voters, what the leader's loop does after a demotion,
// and how MANAGER STATUS is read from the Raft membership.
import { describe, expect, it } from 'vitest';
import type { Node } from '@shoal/api';
import { noLeaderError, removalRefusal, type Member } from '../../../packages/manager/src/membership/members.js';
import { nextMembershipAction } from '../../../packages/manager/src/membership/reconcile.js';
import { withManagerStatus } from '../../../packages/manager/src/membership/manager-status.js';

const m = (id: string, reachable = true): Member => ({ id, addr: `127.0.0.1:${id.slice(1)}`, reachable });

function node(id: string, role: 'manager' | 'worker', addr = `127.0.0.1:${id.slice(1)}`): Node {
  return {
    id, meta: { version: 1, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role, availability: 'active' },
    description: { hostname: `host-${id}`, platform: { os: 'linux', architecture: '' }, resources: { nanoCpus: 0, memoryBytes: 0 }, engineLabels: {}, engineVersion: '' },
    status: { state: 'ready', message: '', addr, agent: false },
    managerStatus: { addr, leader: false, reachability: '' },
    secretHash: '',
  };
}

describe('removalRefusal', () => {
  it('allows a removal that leaves a reachable quorum', () => {
    expect(removalRefusal([m('m1'), m('m2'), m('m3')], 'm3', 'manager c')).toBeUndefined();
    expect(removalRefusal([m('m1'), m('m2')], 'm2', 'manager b')).toBeUndefined();
    expect(removalRefusal([m('m1'), m('m2'), m('m3', false)], 'm3', 'manager c')).toBeUndefined();
  });

  it('refuses a removal that would lose quorum, saying how many are reachable and needed', () => {
    expect(removalRefusal([m('m1'), m('m2', false), m('m3')], 'm3', 'manager c'))
      .toBe('removing manager c would lose quorum: 1 of the 2 managers left are reachable, 2 are needed');
    expect(removalRefusal([m('m1'), m('m2', false), m('m3', false), m('m4'), m('m5')], 'm5', 'manager e'))
      .toBe('removing manager e would lose quorum: 2 of the 4 managers left are reachable, 3 are needed');
  });

  it('refuses removing the last manager and ignores a non-member', () => {
    expect(removalRefusal([m('m1')], 'm1', 'manager a')).toBe('manager a is the only manager: a cluster needs at least one');
    expect(removalRefusal([m('m1')], 'm9', 'manager z')).toBeUndefined();
  });
});

const view = (members: Member[], settled: boolean) => ({ members: () => members, reachabilitySettled: () => settled });

describe('noLeaderError', () => {
  it('names the no-quorum case with counts, and an election otherwise', () => {
    expect(noLeaderError(view([m('m1'), m('m2', false), m('m3', false)], true)).message).toBe('no quorum: 1 of 3 managers reachable');
    expect(noLeaderError(view([m('m1'), m('m2'), m('m3', false)], true)).message).toBe('no leader: an election is under way, try again in a moment');
  });

  it('says an election is under way while the view of the others is not settled, whatever it counts', () => {
    expect(noLeaderError(view([m('m1'), m('m2', false), m('m3', false)], false)).message).toBe('no leader: an election is under way, try again in a moment');
  });
});

describe('nextMembershipAction', () => {
  it('does nothing while every voter is a manager node', () => {
    expect(nextMembershipAction([node('m1', 'manager'), node('m2', 'manager'), node('w1', 'worker')], [m('m1'), m('m2')], 'm1')).toBeUndefined();
  });

  it('removes a demoted voter, but not when the voters left would lose quorum', () => {
    const nodes = [node('m1', 'manager'), node('m2', 'manager'), node('m3', 'worker')];
    expect(nextMembershipAction(nodes, [m('m1'), m('m2'), m('m3')], 'm1')).toEqual({ kind: 'remove', id: 'm3' });
    expect(nextMembershipAction(nodes, [m('m1'), m('m2', false), m('m3')], 'm1')).toBeUndefined();
  });

  it('hands leadership to a reachable manager when the leader itself was demoted', () => {
    const nodes = [node('m1', 'worker'), node('m2', 'manager'), node('m3', 'manager')];
    expect(nextMembershipAction(nodes, [m('m1'), m('m2'), m('m3')], 'm1')).toEqual({ kind: 'transfer', to: 'm2' });
    const four = [...nodes, node('m4', 'manager')];
    expect(nextMembershipAction(four, [m('m1'), m('m2', false), m('m3'), m('m4')], 'm1')).toEqual({ kind: 'transfer', to: 'm3' });
  });

  it('leaves alone a voter without a node (a manager that is joining) and never adds voters', () => {
    expect(nextMembershipAction([node('m1', 'manager'), node('m4', 'manager')], [m('m1'), m('m2')], 'm1')).toBeUndefined();
  });
});

describe('withManagerStatus', () => {
  const members = new Map([['m1', m('m1')], ['m2', m('m2', false)]]);

  it('shows the leader, reachable and unreachable managers, and nothing for workers', () => {
    expect(withManagerStatus(node('m1', 'manager'), members, 'm1').managerStatus).toEqual({ addr: '127.0.0.1:1', leader: true, reachability: 'reachable' });
    expect(withManagerStatus(node('m2', 'manager'), members, 'm1').managerStatus).toEqual({ addr: '127.0.0.1:2', leader: false, reachability: 'unreachable' });
    // A manager node that is no voter (yet) cannot be reached through Raft.
    expect(withManagerStatus(node('m3', 'manager'), members, 'm1').managerStatus.reachability).toBe('unreachable');
    expect(withManagerStatus(node('w1', 'worker'), members, 'm1').managerStatus).toEqual({ addr: '', leader: false, reachability: '' });
  });

  it('shows a manager without an agent as down while it is unreachable, and leaves an agent\'s state alone', () => {
    expect(withManagerStatus(node('m1', 'manager'), members, 'm1').status.state).toBe('ready');
    expect(withManagerStatus(node('m2', 'manager'), members, 'm1').status.state).toBe('down');
    const withAgent = node('m2', 'manager');
    withAgent.status = { ...withAgent.status, agent: true, state: 'ready' };
    expect(withManagerStatus(withAgent, members, 'm1').status.state).toBe('ready');
  });

  it('names no leader while none is known', () => {
    expect(withManagerStatus(node('m1', 'manager'), members, '').managerStatus.leader).toBe(false);
  });
});
