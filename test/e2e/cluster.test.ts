// The first user journey, end to end: a manager and three agents (127.0.0.2-4) on the real Docker engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from './harness.js';
import { TEST_IMAGE } from './images.js';

const HEARTBEAT_MS = 1000;

describe('a cluster of one manager and three agents', () => {
  const c = new TestCluster();
  const nodeIds: string[] = [];

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s' });
    for (const i of [1, 2, 3]) nodeIds.push(await c.startAgent(i));
  });
  afterAll(() => c.destroy());

  /** Running tasks of a service per node hostname. */
  async function spread(service: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of await c.tasks(service)) {
      if (t.DesiredState === 'Running' && t.CurrentState!.startsWith('Running')) out[t.Node!] = (out[t.Node!] ?? 0) + 1;
    }
    return out;
  }

  async function converged(service: string, n: number, timeoutMs = 60_000): Promise<void> {
    await c.waitFor(async () => {
      const running = Object.values(await spread(service)).reduce((a, b) => a + b, 0);
      return running === n && (await c.running(service)).length === n;
    }, timeoutMs, `${service} to run ${n} tasks`);
  }

  it('lists the manager and the three agents as ready nodes', async () => {
    const nodes = await c.nodes();
    expect(nodes.map((n) => n.Hostname).sort()).toEqual(['manager-1', 'node-1', 'node-2', 'node-3']);
    expect(nodes.find((n) => n.Hostname === 'manager-1')?.ManagerStatus).toBe('Leader');
    expect(nodes.every((n) => n.Status === 'Ready')).toBe(true);
  });

  it('runs 6 replicas as 2 per node, as containers named and labelled like swarm', async () => {
    const out = await c.ok('service', 'create', '--name', 'web', '--replicas', '6', TEST_IMAGE);
    expect(out).toMatch(/verify: Service converged/);
    await converged('web', 6);
    expect(await spread('web')).toEqual({ 'node-1': 2, 'node-2': 2, 'node-3': 2 });
    const names = await c.running('web');
    expect(names.filter((n) => /^web\.[1-6]\.[a-z0-9]{25}$/.test(n))).toHaveLength(6);
    const ls = await c.ok('service', 'ls');
    expect(ls).toMatch(new RegExp(`web\\s+replicated\\s+6/6\\s+${TEST_IMAGE}`));
  });

  it('scales to 9 and back to 3, removing replicas from the nodes with the most', async () => {
    await c.ok('service', 'scale', 'web=9');
    await converged('web', 9);
    expect(await spread('web')).toEqual({ 'node-1': 3, 'node-2': 3, 'node-3': 3 });
    await c.ok('service', 'scale', 'web=3');
    await converged('web', 3);
    expect(await spread('web')).toEqual({ 'node-1': 1, 'node-2': 1, 'node-3': 1 });
  });

  it('moves the replicas of a killed agent within 3 heartbeats + 5 s, and leaves no duplicate when it returns', async () => {
    const token = (await c.ok('join-token', 'worker', '-q')).trim();
    await c.kill('agent-3');
    const killedAt = Date.now();
    await c.waitFor(async () => {
      const s = await spread('web');
      return (s['node-1'] ?? 0) + (s['node-2'] ?? 0) === 3;
    }, 3 * HEARTBEAT_MS + 5_000 + 10_000, 'replicas to move off node-3');
    expect(Date.now() - killedAt).toBeLessThan(3 * HEARTBEAT_MS + 5_000 + 2_000);
    expect((await c.nodes()).find((n) => n.Hostname === 'node-3')?.Status).toBe('Down');

    c.restartAgent(3, token);
    await c.waitFor(async () => (await c.nodes()).find((n) => n.Hostname === 'node-3')?.Status === 'Ready', 20_000, 'node-3 to return');
    // The containers of tasks that moved away are stopped and removed: never two running copies of one slot.
    await c.waitFor(async () => (await c.running('web', true)).length === 3, 3 * HEARTBEAT_MS, 'old copies to be stopped and removed');
    const slots = (await c.running('web')).map((n) => n.split('.')[1]);
    expect(new Set(slots).size).toBe(3);
  });

  it('drain moves tasks off a node; pause stops new placements there', async () => {
    await c.ok('node', 'update', '--availability', 'drain', 'node-1');
    await c.waitFor(async () => (await spread('web'))['node-1'] === undefined && Object.values(await spread('web')).reduce((a, b) => a + b, 0) === 3, 30_000, 'drain');
    await c.ok('node', 'update', '--availability', 'pause', 'node-2');
    await c.ok('service', 'scale', 'web=5');
    await converged('web', 5);
    const s = await spread('web');
    expect(s['node-1']).toBeUndefined();
    expect(s['node-2']).toBeLessThanOrEqual(2);
    await c.ok('node', 'update', '--availability', 'active', 'node-1');
    await c.ok('node', 'update', '--availability', 'active', 'node-2');
  });

  it('runs a global service on every agent, and on an agent that joins later', async () => {
    await c.ok('service', 'create', '--name', 'everywhere', '--mode', 'global', '-d', TEST_IMAGE);
    await converged('everywhere', 3);
    nodeIds.push(await c.startAgent(4));
    await converged('everywhere', 4);
    expect(Object.keys(await spread('everywhere')).sort()).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
  });

  it('keeps every service, node and task across kill -9 and restart of the manager', async () => {
    const before = (await c.ok('service', 'ps', 'web', '-q')).split('\n').sort();
    await c.kill('manager');
    c.restartManager({ heartbeat: '1s' });
    await c.waitFor(async () => (await c.shoal('info')).code === 0, 15_000, 'manager to restart');
    expect((await c.ok('service', 'ls', '-q')).split('\n').filter(Boolean)).toHaveLength(2);
    expect((await c.ok('service', 'ps', 'web', '-q')).split('\n').sort()).toEqual(before);
    // The agents reconnect by themselves, and nothing is restarted because of the manager's restart.
    await c.waitFor(async () => (await c.nodes()).filter((n) => n.Status === 'Ready').length === 5, 20_000, 'agents to reconnect');
    await converged('web', 5);
    expect((await c.ok('service', 'ps', 'web', '-q')).split('\n').sort()).toEqual(before);
  });

  it('service rm leaves no container of the service on any node', async () => {
    await c.ok('service', 'rm', 'web', 'everywhere');
    await c.waitFor(async () => (await c.running('web')).length === 0 && (await c.running('everywhere')).length === 0, 30_000, 'containers to go');
    await c.waitFor(async () => (await c.running('web', true)).length === 0, 30_000, 'removal of the stopped containers');
  });
});
