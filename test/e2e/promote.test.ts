// `node promote` of a worker, as Swarm users expect it: an agent started with --manager-listen starts a manager in
// its own process when its node is promoted, which joins the Raft cluster as the same node; its tasks run on. Demoted,
// the node is a worker again and its agent keeps running; promoted again, its manager is a voter again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, freePort, run } from './harness.js';
import { TEST_IMAGE } from './images.js';

interface InfoJson { managers: Array<{ nodeId: string; addr: string; reachability: string }> }

describe('promoting an agent', () => {
  const c = new TestCluster();
  const listen: string[] = [];

  const managerStatus = async (hostname: string): Promise<string | undefined> => (await c.nodes()).find((n) => n.Hostname === hostname)?.ManagerStatus;
  const managers = async (): Promise<number> => (JSON.parse(await c.ok('info', '--format', 'json')) as InfoJson).managers.length;
  const containers = async (): Promise<string[]> => (await c.running('web')).sort();
  const alive = (name: string): boolean => c.procs.get(name)?.child.exitCode === null && c.procs.get(name)?.child.signalCode === null;

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s' });
    for (const i of [1, 2]) {
      const host = `127.0.0.${i + 1}`;
      listen[i] = `${host}:${await freePort(host)}`;
      await c.startAgent(i, ['--manager-listen', listen[i]!]);
    }
    await c.ok('service', 'create', '--name', 'web', '--replicas', '2', TEST_IMAGE);
    await c.waitFor(async () => (await containers()).length === 2, 60_000, 'two web containers');
  }, 120_000);
  afterAll(() => c.destroy(), 120_000);

  it('makes node-1 a manager in its agent\'s process, joined as the same node, its tasks running on', async () => {
    const before = await containers();
    const nodeId = JSON.parse(await c.ok('node', 'inspect', 'node-1'))[0].id as string;

    expect((await c.ok('node', 'promote', 'node-1')).trim()).toBe('Node node-1 promoted to a manager in the cluster.');
    await c.waitFor(async () => (await managerStatus('node-1')) === 'Reachable', 20_000, 'node-1\'s manager to join');
    expect(await managers()).toBe(2);
    const info = JSON.parse(await c.ok('info', '--format', 'json')) as InfoJson;
    expect(info.managers.find((m) => m.addr === listen[1])?.nodeId).toBe(nodeId);
    expect((await c.nodes()).map((n) => n.Hostname).sort()).toEqual(['manager-1', 'node-1', 'node-2']);

    // node-1's manager serves the control API, forwarding to the leader.
    const ls = await run(['service', 'ls', '--format', '{{.Name}}'], { SHOAL_HOST: listen[1]! });
    expect(ls).toMatchObject({ code: 0, stdout: 'web\n' });

    // The agent's session kept its credentials: the node stays ready and its container was never replaced.
    expect((await c.nodes()).find((n) => n.Hostname === 'node-1')?.Status).toBe('Ready');
    expect(await containers()).toEqual(before);
  }, 60_000);

  it('demotes node-1 back to a worker whose agent runs on, and promotes it again through its running manager', async () => {
    const before = await containers();
    expect((await c.ok('node', 'demote', 'node-1')).trim()).toBe('Manager node-1 demoted in the cluster.');
    await c.waitFor(async () => (await managers()) === 1, 20_000, 'one manager');
    expect(await managerStatus('node-1')).toBe('');
    expect(alive('agent-1')).toBe(true);
    expect((await c.nodes()).find((n) => n.Hostname === 'node-1')?.Status).toBe('Ready');

    expect((await c.ok('node', 'promote', 'node-1')).trim()).toBe('Node node-1 promoted to a manager in the cluster.');
    await c.waitFor(async () => (await managerStatus('node-1')) === 'Reachable', 20_000, 'node-1 a voter again');
    expect(await managers()).toBe(2);
    expect(await containers()).toEqual(before);
  }, 60_000);

  it('stops the agent and then its manager on SIGTERM, and starts both again from the data dir', async () => {
    const before = await containers();
    const token = (await c.ok('join-token', 'worker', '-q')).trim();
    expect(await c.signal('agent-1', 'SIGTERM')).toBe(0);
    // Two voters, one gone: no quorum (node ls fails) until the restarted agent's manager, from identity.json, is back.
    await c.waitFor(async () => (await managerStatus('node-1')) !== 'Reachable', 20_000, 'node-1\'s manager gone');
    c.restartAgent(1, token, ['--manager-listen', listen[1]!]);
    // Either of the two may win the election that ends the outage.
    await c.waitFor(async () => ['Reachable', 'Leader'].includes(await managerStatus('node-1')), 30_000, 'node-1\'s manager back');
    await c.waitFor(async () => (await c.nodes()).find((n) => n.Hostname === 'node-1')?.Status === 'Ready', 20_000, 'node-1 ready');
    expect(await managers()).toBe(2);
    expect(c.procs.get('agent-1')!.log.join('')).toContain('manager started');
    expect(await containers()).toEqual(before);
  }, 90_000);

  it('refuses to promote node-2 once its agent is gone', async () => {
    await c.kill('agent-2');
    await c.waitFor(async () => (await c.nodes()).find((n) => n.Hostname === 'node-2')?.Status === 'Down', 20_000, 'node-2 down');
    const refused = await c.shoal('node', 'promote', 'node-2');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('Error: node node-2 is not connected: its agent starts the manager, so it must be running to be promoted');
    expect(await managerStatus('node-2')).toBe('');
  }, 60_000);
});
