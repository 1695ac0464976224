// Promoting an agent's node over real gRPC on loopback: the dispatcher records where the node's manager would listen,
// and `node promote` sends that node's session (and no other) a Promote with the manager token and the leader's
// address; nodes that cannot be promoted are refused with one line. The manager's time is a fake clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeClock, GrpcStatus, call, controlClient, createLogger, type Node, type ServiceError,
} from '@shoal/api';
import { startManager, type Manager } from '@shoal/manager';
import { openAgentSession, type AgentSession } from './agent-session.js';


describe('promoting an agent\'s node', () => {
  let dir: string;
  let manager: Manager;
  const sessions: AgentSession[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-promote-'));
    manager = await startManager({ listen: '127.0.0.1:0', dataDir: dir, heartbeatPeriodMs: 1000, clock: new FakeClock(Date.now()), logger: createLogger('test', 'silent') });
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.end();
    await manager.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function open(): AgentSession {
    const s = openAgentSession(manager.info.addr);
    sessions.push(s);
    return s;
  }

  const description = (hostname: string) => ({ hostname, platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 1 << 30 }, engineLabels: {}, engineVersion: '20.10' });

  async function control<Res>(method: string, req: object): Promise<Res> {
    const c = controlClient(manager.info.addr);
    try {
      return await call<object, Res>((c as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!.bind(c) as never, req);
    } finally { c.close(); }
  }
  const token = async (role: string) => (await control<{ token: string }>('GetJoinToken', { role })).token;
  const getNode = (ref: string) => control<Node>('GetNode', { ref });
  const promote = (ref: string) => control<Node>('UpdateNode', { ref, role: 'manager', availability: '', labelAdd: {}, labelRm: [] });

  /** Registers a new node; returns its session (past the registration messages) and credentials. */
  async function registerNode(hostname: string, managerListen: string): Promise<{ s: AgentSession; nodeId: string; nodeSecret: string }> {
    const s = open();
    s.send({ register: { token: await token('worker'), addr: '127.0.0.2', description: description(hostname), engineReady: true, managerListen } });
    const { nodeId, nodeSecret } = (await s.next()).registered!;
    await s.next(); // managers
    await s.next(); // the full assignment set
    await s.next(); // the full endpoint table
    return { s, nodeId, nodeSecret };
  }

  async function refusal(p: Promise<unknown>): Promise<ServiceError> {
    return p.then(() => { throw new Error('not refused'); }, (err: ServiceError) => err);
  }

  it('records the manager listen address at every registration', async () => {
    const { s, nodeId, nodeSecret } = await registerNode('node-1', '127.0.0.2:4243');
    expect((await getNode(nodeId)).status.managerListen).toBe('127.0.0.2:4243');
    s.end();
    const again = open();
    again.send({ register: { nodeId, nodeSecret, addr: '127.0.0.2', description: description('node-1'), engineReady: true, managerListen: '127.0.0.2:5000' } });
    await again.next();
    expect((await getNode(nodeId)).status.managerListen).toBe('127.0.0.2:5000');
    again.end();
    const without = open();
    without.send({ register: { nodeId, nodeSecret, addr: '127.0.0.2', description: description('node-1'), engineReady: true } });
    await without.next();
    expect((await getNode(nodeId)).status.managerListen).toBe('');
  });

  it('sends Promote with the manager token and the leader\'s address to that node\'s session only, and returns at once', async () => {
    const one = await registerNode('node-1', '127.0.0.2:4243');
    const two = await registerNode('node-2', '127.0.0.3:4243');
    const node = await promote('node-1');
    // Its manager has not joined yet: a manager, unreachable.
    expect(node.spec.role).toBe('manager');
    expect(node.managerStatus).toMatchObject({ addr: '', reachability: 'unreachable' });
    expect((await one.s.next()).promote).toEqual({ token: await token('manager'), joinAddr: manager.info.addr });
    await new Promise((r) => setTimeout(r, 50)); // anything sent to node-2 would have crossed the loopback by now
    expect(two.s.inbox.filter((m) => m.promote)).toEqual([]);
    expect((await getNode('node-2')).spec.role).toBe('worker');
  });

  it('refuses a node whose agent declared no manager listen address, naming both ways to get a manager there', async () => {
    await registerNode('node-1', '');
    const err = await refusal(promote('node-1'));
    expect(err.code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(err.details).toBe('node node-1 runs no manager: restart its agent with --manager-listen HOST:PORT, or start a manager there with shoal manager --join <MANAGER> --token <MANAGER TOKEN>');
    expect((await getNode('node-1')).spec.role).toBe('worker');
  });

  it('refuses a node whose agent is not connected, leaving it a worker', async () => {
    const { s } = await registerNode('node-1', '127.0.0.2:4243');
    s.end();
    await new Promise((r) => setTimeout(r, 50)); // the cancellation crosses the loopback
    const err = await refusal(promote('node-1'));
    expect(err.code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(err.details).toBe('node node-1 is not connected: its agent starts the manager, so it must be running to be promoted');
    expect((await getNode('node-1')).spec.role).toBe('worker');
  });
});
