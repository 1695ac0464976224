// The managers' addresses the dispatcher gives agents, and the refusal of a follower, on a store driven directly.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FakeClock, GrpcStatus, LEADER_ADDR_KEY, createLogger, seededRand, type AgentMessageInput, type ManagerMessageInput,
  type Node, type ServerDuplexStream,
} from '@shoal/api';
import { Dispatcher, refuseNotLeader } from '../../../packages/manager/src/dispatcher/index.js';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { LocalProposer } from '../store/local-proposer.js';

type SessionCall = Parameters<typeof refuseNotLeader>[0];

/** The server side of a session: what the dispatcher writes, and how it ended. */
class FakeCall extends EventEmitter {
  readonly written: ManagerMessageInput[] = [];
  cancelled = false;
  ended = false;
  error: { code: number; details: string; metadata?: { get(key: string): unknown[] } } | undefined;
  constructor() {
    super();
    this.on('error', (err: FakeCall['error']) => { this.error = err; });
  }
  write(m: ManagerMessageInput): boolean { this.written.push(m); return true; }
  end(): void { this.ended = true; }
  pause(): this { return this; }
  resume(): this { return this; }
  send(m: AgentMessageInput): void { this.emit('data', m); }
  asCall(): SessionCall { return this as unknown as ServerDuplexStream<never, never> as SessionCall; }
  managers(): string[][] { return this.written.flatMap((m) => (m.managers ? [m.managers.addrs ?? []] : [])); }
}

function managerNode(id: string, addr: string, role = 'manager'): Node {
  return {
    id, meta: { version: 0, createdAt: 0, updatedAt: 0 },
    spec: { labels: {}, role, availability: 'active' },
    description: { hostname: id, platform: { os: 'linux', architecture: '' }, resources: { nanoCpus: 0, memoryBytes: 0 }, engineLabels: {}, engineVersion: '' },
    status: { state: 'ready', message: '', addr, agent: false },
    managerStatus: { addr, leader: false, reachability: 'reachable' },
    secretHash: '',
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('dispatcher: managers list', () => {
  let dispatcher: Dispatcher | undefined;
  afterEach(() => dispatcher?.stop());

  async function setup() {
    const store = new MemoryStore(new LocalProposer(), new FakeClock());
    await store.update((tx) => {
      tx.create('clusters', {
        id: 'c1', meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec: { name: 'default', heartbeatPeriodMs: 1000, taskHistoryLimit: 5 },
        workerToken: 'SWMTKN-1-w', managerToken: 'SWMTKN-1-m', createdBy: 'm1',
      });
      tx.create('nodes', managerNode('m2', '10.0.0.2:4242'));
      tx.create('nodes', managerNode('m1', '10.0.0.1:4242'));
    });
    dispatcher = new Dispatcher({ store, clock: new FakeClock(), rand: seededRand(1), logger: createLogger('test', 'silent') });
    dispatcher.start();
    const join = async (): Promise<FakeCall> => {
      const call = new FakeCall();
      dispatcher!.handlers().Session!(call.asCall() as never);
      call.send({ msg: 'register', register: { token: 'SWMTKN-1-w', addr: '10.0.1.1', description: {}, engineReady: true } });
      await settle();
      return call;
    };
    return { store, join };
  }

  it('sends every manager\'s address right after Registered, before the assignments and the endpoint table', async () => {
    const { join } = await setup();
    const call = await join();
    expect(call.written.map((m) => Object.keys(m)[0])).toEqual(['registered', 'managers', 'assignments', 'endpoints']);
    expect(call.managers()).toEqual([['10.0.0.1:4242', '10.0.0.2:4242']]);
  });

  it('sends the list again to every agent when a manager is added, moves or is removed, and not for other node changes', async () => {
    const { store, join } = await setup();
    const [a, b] = [await join(), await join()];
    await store.update((tx) => tx.create('nodes', managerNode('m3', '10.0.0.3:4242')));
    await store.update((tx) => tx.create('nodes', managerNode('w9', '10.0.0.9:4242', 'worker')));
    await store.update((tx) => tx.update('nodes', { ...tx.get('nodes', 'm2')!, status: { ...tx.get('nodes', 'm2')!.status, state: 'down' } }));
    await store.update((tx) => tx.update('nodes', { ...tx.get('nodes', 'm3')!, managerStatus: { addr: '10.0.0.4:4242', leader: false, reachability: '' } }));
    await store.update((tx) => tx.delete('nodes', 'm2'));
    await store.update((tx) => tx.update('nodes', { ...tx.get('nodes', 'm1')!, spec: { ...tx.get('nodes', 'm1')!.spec, role: 'worker' } }));
    const expected = [
      ['10.0.0.1:4242', '10.0.0.2:4242'],
      ['10.0.0.1:4242', '10.0.0.2:4242', '10.0.0.3:4242'],
      ['10.0.0.1:4242', '10.0.0.2:4242', '10.0.0.4:4242'],
      ['10.0.0.1:4242', '10.0.0.4:4242'],
      ['10.0.0.4:4242'],
    ];
    expect(a.managers()).toEqual(expected);
    expect(b.managers()).toEqual(expected);
  });
});

describe('refuseNotLeader', () => {
  it('ends the session with UNAVAILABLE, naming the leader in the details and the trailers', () => {
    const call = new FakeCall();
    refuseNotLeader(call.asCall(), '10.0.0.2:4242');
    expect(call.error).toMatchObject({ code: GrpcStatus.UNAVAILABLE, details: 'this manager is not the leader (the leader is at 10.0.0.2:4242)' });
    expect(call.error?.metadata?.get(LEADER_ADDR_KEY)).toEqual(['10.0.0.2:4242']);
  });

  it('names no leader while none is known', () => {
    const call = new FakeCall();
    refuseNotLeader(call.asCall(), '');
    expect(call.error).toMatchObject({ code: GrpcStatus.UNAVAILABLE, details: 'this manager is not the leader (no leader is known)' });
    expect(call.error?.metadata?.get(LEADER_ADDR_KEY)).toEqual([]);
  });
});
