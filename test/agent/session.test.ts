import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { startAgent, type Agent, type Promotion } from '@shoal/agent';
import { FakeClock, UnauthenticatedError } from '@shoal/api';
import { FakeDispatcher, startFakeManagers } from './fake-dispatcher.js';
import { Cleanups, silentLogger } from './helpers.js';

const WAIT = { timeout: 5_000, interval: 20 };
// No engine behind this socket: these tests are about the session, and the agent must run without one.
const NO_ENGINE = 'unix:///tmp/shoal-agent-test-no-such-engine.sock';

describe('agent session', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function dispatcher(): Promise<FakeDispatcher> {
    const d = await new FakeDispatcher().start();
    cleanups.add(() => d.close());
    return d;
  }

  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-agent-session-'));
    cleanups.add(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async function agent(d: FakeDispatcher, dir: string, token?: string): Promise<Agent> {
    const a = await startAgent({ join: d.addr, token, advertise: '127.0.0.9', dataDir: dir, dockerHost: NO_ENGINE, hostname: 'node-a', labels: { zone: 'z1' }, logger: silentLogger });
    cleanups.add(() => a.stop());
    return a;
  }

  it('refuses a first join with a wrong token at once', async () => {
    const d = await dispatcher();
    const started = startAgent({ join: d.addr, token: 'SWMTKN-1-bad', advertise: '127.0.0.9', dataDir: await dataDir(), dockerHost: NO_ENGINE, logger: silentLogger });
    await expect(started).rejects.toThrow(UnauthenticatedError);
    await expect(started).rejects.toThrow('join refused: invalid join token');
    expect(d.registrations()).toHaveLength(1); // not retried
  });

  it('joins with the token, describes the node, reports the engine down, and heartbeats', async () => {
    const d = await dispatcher();
    const a = await agent(d, await dataDir(), d.token);
    expect(await a.nodeId).toBe(d.nodeId);
    const reg = d.registrations()[0]!;
    expect(reg).toMatchObject({ token: d.token, nodeId: '', nodeSecret: '', addr: '127.0.0.9', engineReady: false });
    expect(reg.engineMessage).toContain(`cannot reach Docker engine at ${NO_ENGINE}`);
    expect(reg.description).toMatchObject({ hostname: 'node-a', platform: { os: 'linux' }, engineLabels: { zone: 'z1' } });
    expect(reg.description.resources.nanoCpus).toBeGreaterThan(0);
    await vi.waitFor(() => expect(d.heartbeats().length).toBeGreaterThanOrEqual(2), WAIT);
    expect(d.heartbeats()[0]).toMatchObject({ engineReady: false });
  });

  it('follows a new heartbeat period sent on the live stream, without registering again', async () => {
    const d = await dispatcher();
    d.heartbeatPeriodMs = 10_000;
    const a = await agent(d, await dataDir(), d.token);
    await a.nodeId;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(d.heartbeats()).toHaveLength(0);
    d.send({ registered: { nodeId: d.nodeId, nodeSecret: '', heartbeatPeriodMs: 100 } });
    await vi.waitFor(() => expect(d.heartbeats().length).toBeGreaterThanOrEqual(3), WAIT);
    expect(d.registrations()).toHaveLength(1);
  });

  it('declares where its manager would listen, and hands a Promote to its owner with the node\'s identity', async () => {
    const d = await dispatcher();
    const promotions: Promotion[] = [];
    const a = await startAgent({
      join: d.addr, token: d.token, advertise: '127.0.0.9', dataDir: await dataDir(), dockerHost: NO_ENGINE, logger: silentLogger,
      managerListen: '127.0.0.9:4243', onPromote: (p) => promotions.push(p),
    });
    cleanups.add(() => a.stop());
    await a.nodeId;
    expect(d.registrations()[0]).toMatchObject({ managerListen: '127.0.0.9:4243' });
    d.send({ promote: { token: 'SHTKN-1-c-m', joinAddr: '127.0.0.1:4242' } });
    await vi.waitFor(() => expect(promotions).toEqual([{ token: 'SHTKN-1-c-m', joinAddr: '127.0.0.1:4242', nodeId: d.nodeId, nodeSecret: d.secret }]), WAIT);
  });

  it('uses the stored identity instead of the token after a restart', async () => {
    const d = await dispatcher();
    const dir = await dataDir();
    const first = await agent(d, dir, d.token);
    await first.nodeId;
    await first.stop();
    const second = await agent(d, dir, undefined);
    expect(await second.nodeId).toBe(d.nodeId);
    expect(d.registrations()[1]).toMatchObject({ token: '', nodeId: d.nodeId, nodeSecret: d.secret });
  });

  it('reconnects with backoff when the manager goes away, and registers again with its identity', async () => {
    const d = await dispatcher();
    const a = await agent(d, await dataDir(), d.token);
    await a.nodeId;
    const port = d.addr.split(':')[1];
    await d.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const back = new FakeDispatcher(d.token, d.nodeId, d.secret);
    await back.start(`127.0.0.1:${port}`);
    cleanups.add(() => back.close());
    await vi.waitFor(() => expect(back.registrations()).toHaveLength(1), WAIT);
    expect(back.registrations()[0]).toMatchObject({ token: '', nodeId: d.nodeId, nodeSecret: d.secret });
    await vi.waitFor(() => expect(back.heartbeats().length).toBeGreaterThanOrEqual(1), WAIT);
  });

  it('stops trying when the manager no longer knows the node', async () => {
    const d = await dispatcher();
    const dir = await dataDir();
    const first = await agent(d, dir, d.token);
    await first.nodeId;
    await first.stop();
    d.removed.add(d.nodeId);
    const second = await agent(d, dir, undefined);
    await expect(second.nodeId).rejects.toThrow(UnauthenticatedError);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(d.registrations()).toHaveLength(2);
  });
});

// Several managers, one leading. The agent's clock never moves here: a reconnect that needed a backoff timer would
// never happen, so each registration below proves the agent went there at once.
describe('agent session with several managers', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function managers(count: number): Promise<FakeDispatcher[]> {
    const ms = await startFakeManagers(count);
    for (const m of ms) cleanups.add(() => m.close());
    return ms;
  }

  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-agent-managers-'));
    cleanups.add(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** An agent on a clock that stands still, and its log lines (to see when it has taken a managers list). */
  async function agent(join: string, dir: string, token?: string): Promise<{ agent: Agent; logs: Array<{ msg: string; managers?: string[] }> }> {
    const logs: Array<{ msg: string; managers?: string[] }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => { logs.push(JSON.parse(line) as { msg: string }); } });
    const a = await startAgent({ join, token, advertise: '127.0.0.9', dataDir: dir, dockerHost: NO_ENGINE, clock: new FakeClock(), logger });
    cleanups.add(() => a.stop());
    return { agent: a, logs };
  }

  function tookManagers(logs: Array<{ msg: string; managers?: string[] }>, addrs: string[]): void {
    expect(logs.filter((l) => l.msg === 'managers of the cluster changed').at(-1)?.managers).toEqual(addrs);
  }

  it('joins through a follower: the refusal names the leader and the agent goes there at once', async () => {
    const [leader, follower] = await managers(2);
    const { agent: a } = await agent(follower!.addr, await dataDir(), leader!.token);
    expect(await a.nodeId).toBe(leader!.nodeId);
    expect(follower!.refused).toBe(1);
    expect(leader!.registrations()).toEqual([expect.objectContaining({ token: leader!.token, nodeId: '' })]);
  });

  it('when the leader dies, tries the other managers it was told of and registers with the new leader by id and secret', async () => {
    const [a, b, c] = await managers(3);
    const { agent: ag, logs } = await agent(a!.addr, await dataDir(), a!.token);
    await ag.nodeId;
    await vi.waitFor(() => tookManagers(logs, [a!.addr, b!.addr, c!.addr]), WAIT);
    b!.following = ''; // an election is on: b knows no leader
    c!.following = undefined; // c wins it
    await a!.stop();
    await vi.waitFor(() => expect(c!.registrations()).toHaveLength(1), WAIT);
    expect(c!.registrations()[0]).toMatchObject({ token: '', nodeId: a!.nodeId, nodeSecret: a!.secret });
    expect(b!.refused).toBe(1);
  });

  it('keeps the managers list in its store: restarted with a dead join address, it finds the leader', async () => {
    const [a, b] = await managers(2);
    const dir = await dataDir();
    const first = await agent(a!.addr, dir, a!.token);
    await first.agent.nodeId;
    await vi.waitFor(() => tookManagers(first.logs, [a!.addr, b!.addr]), WAIT);
    await first.agent.stop();
    await a!.stop();
    b!.following = undefined;
    const second = await agent(a!.addr, dir);
    expect(await second.agent.nodeId).toBe(a!.nodeId);
    expect(b!.registrations()).toEqual([expect.objectContaining({ token: '', nodeId: a!.nodeId, nodeSecret: a!.secret })]);
  });

  it('forgets a manager the leader no longer lists', async () => {
    const [a, b, c] = await managers(3);
    const { agent: ag, logs } = await agent(a!.addr, await dataDir(), a!.token);
    await ag.nodeId;
    await vi.waitFor(() => tookManagers(logs, [a!.addr, b!.addr, c!.addr]), WAIT);
    a!.send({ managers: { addrs: [a!.addr, c!.addr] } }); // b was removed (demoted or gone)
    await vi.waitFor(() => tookManagers(logs, [a!.addr, c!.addr]), WAIT);
    c!.following = undefined;
    await a!.stop();
    await vi.waitFor(() => expect(c!.registrations()).toHaveLength(1), WAIT);
    expect(b!.refused).toBe(0);
  });
});
