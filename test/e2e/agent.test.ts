// Agents as a user sees them: a restarted agent adopts its containers; an agent whose engine goes away keeps running
// and recovers; node ps / inspect / rm; rotating the worker join token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { TestCluster, docker, freePort, run } from './harness.js';
import { TEST_IMAGE } from './images.js';

/** A TCP front for the local engine's socket, which the test can take away (every connection cut) and bring back. */
class EngineProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(readonly port: number, private readonly socketPath = '/var/run/docker.sock') {}

  get url(): string { return `tcp://127.0.0.1:${this.port}`; }

  open(): Promise<void> {
    const server = createServer((client) => {
      const engine = connect(this.socketPath);
      for (const s of [client, engine]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); engine.destroy(); });
      }
      client.pipe(engine);
      engine.pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  /** Stops listening and cuts every connection, as an engine that died would. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

interface NodeJson {
  id: string;
  spec: { labels: Record<string, string> };
  status: { state: string; message: string; addr: string };
  description: { hostname: string; engineVersion: string; engineLabels: Record<string, string>; resources: { nanoCpus: number; memoryBytes: number } };
}

describe('agents', () => {
  const c = new TestCluster();
  let proxy: EngineProxy;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    proxy = new EngineProxy(await freePort());
    await proxy.open();
    // 3 s heartbeats: an agent restarted at once comes back well within the 9 s grace.
    await c.startManager({ heartbeat: '3s' });
    ids['node-1'] = await c.startAgent(1, ['--label', 'rack=r1']);
    ids['node-2'] = await c.startAgent(2);
    ids['node-3'] = await c.startAgent(3, ['--docker-host', proxy.url]);
  });
  afterAll(async () => {
    await proxy?.close();
    await c.destroy();
  });

  async function inspect(node: string): Promise<NodeJson> {
    return (JSON.parse(await c.ok('node', 'inspect', node)) as NodeJson[])[0]!;
  }

  async function status(node: string): Promise<string | undefined> {
    return (await c.nodes()).find((n) => n.Hostname === node)?.Status;
  }

  /** Full ids and start times of the running containers of a service on a node. */
  async function containers(service: string, node: string): Promise<string[]> {
    const out = await docker('ps', '--no-trunc', '--filter', `label=shoal.node.id=${ids[node]}`, '--filter', `label=shoal.service.name=${service}`, '--format', '{{.ID}}');
    const list = out.split('\n').filter(Boolean);
    if (list.length === 0) return [];
    return (await docker('inspect', '--format', '{{.Id}} {{.State.StartedAt}}', ...list)).split('\n').sort();
  }

  it('node inspect shows the address, resources, engine version and labels; node ps the node\'s tasks', async () => {
    const engineVersion = await docker('version', '--format', '{{.Server.Version}}');
    const n = await inspect('node-1');
    expect(n.status.addr).toBe('127.0.0.2');
    expect(n.description.engineVersion).toBe(engineVersion);
    expect(n.description.engineLabels).toMatchObject({ rack: 'r1' });
    expect(n.description.resources.nanoCpus).toBeGreaterThan(0);
    expect(n.description.resources.memoryBytes).toBeGreaterThan(0);
    const pretty = await c.ok('node', 'inspect', '--pretty', 'node-1');
    expect(pretty).toMatch(/Address:\s+127\.0\.0\.2/);
    expect(pretty).toMatch(new RegExp(`Engine Version:\\s+${engineVersion.replace(/[.+]/g, '\\$&')}`));
    expect(pretty).toMatch(/rack=r1/);

    await c.ok('service', 'create', '--name', 'pinned', '--replicas', '2', '--constraint', 'node.hostname==node-1', TEST_IMAGE);
    const ps = (await c.ok('node', 'ps', 'node-1', '--format', 'json')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(ps.map((t) => t.Name).sort()).toEqual(['pinned.1', 'pinned.2']);
    expect(ps.every((t) => t.Node === 'node-1' && t.CurrentState!.startsWith('Running'))).toBe(true);
    expect((await c.ok('node', 'ps', 'node-2', '-q')).trim()).toBe('');
  });

  it('a restarted agent adopts its containers and removes those of tasks the cluster no longer wants', async () => {
    await c.ok('service', 'create', '--name', 'dropped', '--constraint', 'node.hostname==node-1', TEST_IMAGE);
    const before = await containers('pinned', 'node-1');
    const tasksBefore = (await c.ok('service', 'ps', 'pinned', '-q', '--no-trunc')).split('\n').sort();
    expect(before).toHaveLength(2);
    expect(await containers('dropped', 'node-1')).toHaveLength(1);

    const token = (await c.ok('join-token', 'worker', '-q')).trim();
    await c.kill('agent-1');
    await c.ok('service', 'scale', '-d', 'dropped=0');
    c.restartAgent(1, token, ['--label', 'rack=r1']);
    await c.waitFor(async () => (await c.running('dropped', true)).length === 0, 30_000, 'the container of the dropped task to be removed');
    expect(await status('node-1')).toBe('Ready');
    // Same containers, not restarted, no duplicate; the same tasks.
    expect(await containers('pinned', 'node-1')).toEqual(before);
    expect((await c.ok('service', 'ps', 'pinned', '-q', '--no-trunc')).split('\n').sort()).toEqual(tasksBefore);
    expect(await c.running('pinned', true)).toHaveLength(2);
  });

  it('an agent whose engine goes away keeps running, its node is down with the reason, and it recovers', async () => {
    await c.ok('service', 'create', '--name', 'onthree', '--constraint', 'node.hostname==node-3', TEST_IMAGE);
    await proxy.close();
    await c.waitFor(async () => (await status('node-3')) === 'Down', 20_000, 'node-3 to be reported down');
    const down = await inspect('node-3');
    expect(down.status.message).toMatch(new RegExp(`Docker engine at ${proxy.url.replace(/[.]/g, '\\.')}`));
    expect(c.procs.get('agent-3')!.child.exitCode).toBeNull();

    await proxy.open();
    await c.waitFor(async () => (await status('node-3')) === 'Ready', 30_000, 'node-3 to recover');
    expect((await inspect('node-3')).status.message).toBe('');
    await c.waitFor(async () => {
      const running = (await c.tasks('onthree')).filter((t) => t.DesiredState === 'Running' && t.CurrentState!.startsWith('Running'));
      return running.length === 1 && running[0]!.Node === 'node-3' && (await c.running('onthree')).length === 1;
    }, 30_000, 'onthree to run on node-3 again, once');
  });

  it('node rm refuses a node that is up, removes a down one, and --force removes one that is up', async () => {
    const r = await c.shoal('node', 'rm', 'node-2');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('Error: node node-2 is not down and can\'t be removed: use --force to remove it anyway');
    expect(await status('node-2')).toBe('Ready');

    await c.kill('agent-2');
    await c.waitFor(async () => (await status('node-2')) === 'Down', 20_000, 'node-2 to be down');
    expect((await c.ok('node', 'rm', 'node-2')).trim()).toBe('node-2');

    expect((await c.ok('node', 'rm', '--force', 'node-3')).trim()).toBe('node-3');
    expect((await c.nodes()).map((n) => n.Hostname).sort()).toEqual(['manager-1', 'node-1']);
  });

  it('join-token --rotate makes the old token fail at once and the new one work', async () => {
    const old = (await c.ok('join-token', 'worker', '-q')).trim();
    const rotated = await c.ok('join-token', 'worker', '--rotate', '-q');
    const fresh = rotated.trim().split('\n').pop()!;
    expect(fresh).not.toBe(old);
    expect((await c.ok('join-token', 'worker', '-q')).trim()).toBe(fresh);

    const started = Date.now();
    const refused = await run(['agent', '--join', c.managerAddr, '--token', old, '--advertise', '127.0.0.9', '--data-dir', join(c.dir, 'old-token')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/invalid join token/);
    expect(Date.now() - started).toBeLessThan(10_000);

    await c.startAgent(4); // reads the current token, i.e. the new one
    expect(await status('node-4')).toBe('Ready');
    expect(await status('node-1')).toBe('Ready'); // nodes that joined before are not affected
  });
});
