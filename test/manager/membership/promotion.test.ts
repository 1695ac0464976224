// Which way `node promote` takes: a node whose manager runs becomes a voter again; a node whose connected agent
// declared --manager-listen starts one; any other is refused with the way to get a manager there.
import { describe, expect, it } from 'vitest';
import type { Node } from '@shoal/api';
import { promotionOf } from '../../../packages/manager/src/membership/promotion.js';

function node(o: { managerAddr?: string; managerListen?: string }): Node {
  return {
    id: 'n1', meta: { version: 1, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role: 'worker', availability: 'active' },
    description: { hostname: 'node-1', platform: { os: 'linux', architecture: '' }, resources: { nanoCpus: 0, memoryBytes: 0 }, engineLabels: {}, engineVersion: '' },
    status: { state: 'ready', message: '', addr: '127.0.0.2', agent: true, managerListen: o.managerListen ?? '' },
    managerStatus: { addr: o.managerAddr ?? '', leader: false, reachability: '' },
    secretHash: '',
  };
}

describe('promotionOf', () => {
  it('adds a node whose manager runs (a demoted manager) back as a voter, whatever its agent', () => {
    expect(promotionOf(node({ managerAddr: '127.0.0.2:4243' }), false)).toEqual({ kind: 'add-voter' });
    expect(promotionOf(node({ managerAddr: '127.0.0.2:4243', managerListen: '127.0.0.2:4243' }), true)).toEqual({ kind: 'add-voter' });
  });

  it('has a connected agent that declared --manager-listen start a manager', () => {
    expect(promotionOf(node({ managerListen: '127.0.0.2:4243' }), true)).toEqual({ kind: 'start-manager' });
  });

  it('refuses a node whose agent is not connected', () => {
    expect(promotionOf(node({ managerListen: '127.0.0.2:4243' }), false)).toEqual({
      kind: 'refuse', reason: 'node node-1 is not connected: its agent starts the manager, so it must be running to be promoted',
    });
  });

  it('refuses a node that runs no manager and cannot start one, naming --manager-listen', () => {
    for (const connected of [true, false]) {
      expect(promotionOf(node({}), connected)).toEqual({
        kind: 'refuse',
        reason: 'node node-1 runs no manager: restart its agent with --manager-listen HOST:PORT, or start a manager there with shoal manager --join <MANAGER> --token <MANAGER TOKEN>',
      });
    }
  });
});
