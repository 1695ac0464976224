// The dispatcher's session protocol over real gRPC on loopback, with the manager's time driven by a fake clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FakeClock, GrpcStatus, call, controlClient, createLogger,
} from '@shoal/api';
import { startManager, type Manager } from '@shoal/manager';
import { openAgentSession, type AgentSession } from './agent-session.js';


describe('dispatcher sessions', () => {
  let dir: string;
  let manager: Manager;
  let clock: FakeClock;
  const sessions: Array<{ end(): void }> = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-dispatcher-'));
    clock = new FakeClock(Date.now());
    manager = await startManager({ listen: '127.0.0.1:0', dataDir: dir, heartbeatPeriodMs: 1000, clock, logger: createLogger('test', 'silent') });
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

  const description = { hostname: 'node-1', platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 1 << 30 }, engineLabels: {}, engineVersion: '20.10' };

  async function workerToken(): Promise<string> {
    const c = controlClient(manager.info.addr);
    try {
      const res = await call<object, { token: string }>(c.GetJoinToken.bind(c) as never, { role: 'worker' });
      return res.token;
    } finally { c.close(); }
  }

  async function nodes(): Promise<Array<{ id: string; status: { state: string } }>> {
    const c = controlClient(manager.info.addr);
    try {
      return (await call<object, { nodes: Array<{ id: string; status: { state: string } }> }>(c.ListNodes.bind(c) as never, {})).nodes;
    } finally { c.close(); }
  }

  it.each([
    ['a wrong join token', { token: 'SHTKN-1-nope-nope' }, GrpcStatus.UNAUTHENTICATED, 'invalid join token'],
    ['no token at all', {}, GrpcStatus.UNAUTHENTICATED, 'a join token is required'],
    ['an unknown node id', { nodeId: 'x'.repeat(25), nodeSecret: 'abc' }, GrpcStatus.UNAUTHENTICATED, 'is not a member of this cluster'],
  ])('refuses %s at once and adds no node', async (_what, register, code, message) => {
    const s = open();
    s.send({ register: { ...register, addr: '127.0.0.2', description, engineReady: true } });
    const err = await s.closed;
    expect(err?.code).toBe(code);
    expect(err?.details).toContain(message);
    expect(await nodes()).toHaveLength(1);
  });

  it('refuses a session whose first message is not register', async () => {
    const s = open();
    s.send({ heartbeat: { engineReady: true } });
    const err = await s.closed;
    expect(err?.code).toBe(GrpcStatus.FAILED_PRECONDITION);
  });

  it('registers a node with the join token, then takes it back with its id and secret only', async () => {
    const first = open();
    first.send({ register: { token: await workerToken(), addr: '127.0.0.2', description, engineReady: true } });
    const registered = (await first.next()).registered!;
    expect(registered.nodeId).toMatch(/^[a-z0-9]{25}$/);
    expect(registered.nodeSecret).not.toBe('');
    expect(registered.heartbeatPeriodMs).toBe(1000);
    expect((await first.next()).managers).toEqual({ addrs: [manager.info.addr] });
    expect((await first.next()).assignments).toMatchObject({ full: true, tasks: [] });
    first.end();

    const again = open();
    again.send({ register: { nodeId: registered.nodeId, nodeSecret: registered.nodeSecret, addr: '127.0.0.2', description, engineReady: true } });
    const back = (await again.next()).registered!;
    expect(back.nodeId).toBe(registered.nodeId);
    expect(back.nodeSecret).toBe('');

    const impostor = open();
    impostor.send({ register: { nodeId: registered.nodeId, nodeSecret: 'guess', addr: '127.0.0.9', description, engineReady: true } });
    expect((await impostor.closed)?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  it('marks a node down after 3 missed heartbeat periods, not before', async () => {
    const s = open();
    s.send({ register: { token: await workerToken(), addr: '127.0.0.2', description, engineReady: true } });
    const { nodeId } = (await s.next()).registered!;
    const stateOf = async () => (await nodes()).find((n) => n.id === nodeId)?.status.state;
    expect(await stateOf()).toBe('ready');
    clock.advance(2_000);
    s.send({ heartbeat: { engineReady: true } });
    await new Promise((r) => setTimeout(r, 50)); // the heartbeat crosses the loopback
    clock.advance(2_900);
    await new Promise((r) => setImmediate(r));
    expect(await stateOf()).toBe('ready');
    clock.advance(200);
    await expect.poll(stateOf).toBe('down');
  });

  it('reports a node whose engine is unreachable as down with the engine message, and ready once it returns', async () => {
    const s = open();
    s.send({ register: { token: await workerToken(), addr: '127.0.0.2', description, engineReady: true } });
    const { nodeId } = (await s.next()).registered!;
    const node = async () => (await nodes()).find((n) => n.id === nodeId) as { status: { state: string; message: string } } | undefined;
    s.send({ heartbeat: { engineReady: false, engineMessage: 'cannot reach Docker engine at unix:///nope.sock' } });
    await expect.poll(async () => (await node())?.status).toEqual(expect.objectContaining({ state: 'down', message: 'cannot reach Docker engine at unix:///nope.sock' }));
    s.send({ heartbeat: { engineReady: true } });
    await expect.poll(async () => (await node())?.status.state).toBe('ready');
  });
});
