// `shoal up`: the embedded default of the quick start (a manager and an agent in one process, and the demo service:
// three replicas behind the routing mesh), and a manager started with --agent, which runs tasks on its own node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { join } from 'node:path';
import { TestCluster, freePort } from './harness.js';
import { TEST_IMAGE } from './images.js';

/** GET url: status and body, or undefined while nothing answers. */
async function httpGet(url: string): Promise<{ status: number; body: string } | undefined> {
  // A fresh connection each time (no keep-alive), so the mesh picks a replica for every request.
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', () => resolve(undefined));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

describe('shoal up', () => {
  const c = new TestCluster();
  let demoPort = 0;

  beforeAll(async () => {
    const dataDir = join(c.dir, 'up');
    demoPort = await freePort();
    c.managerAddr = `unix://${join(dataDir, 'control.sock')}`;
    c.spawn('up', ['up', '--data-dir', dataDir, '--listen', `127.0.0.1:${await freePort()}`, '--demo-port', String(demoPort)]);
    await c.waitFor(async () => (await c.nodes()).length === 1, 30_000, 'shoal up to answer on its control socket');
    c.trackNode((await c.nodes())[0]!.ID!);
  });
  afterAll(() => c.destroy());

  it('converges the demo service: three replicas answering HTTP on the demo port through the mesh', async () => {
    await c.waitFor(async () => (await httpGet(`http://127.0.0.1:${demoPort}/`))?.status === 200, 30_000, 'the demo page');
    const page = await httpGet(`http://127.0.0.1:${demoPort}/`);
    expect(page?.body).toContain('Hello from shoal');
    expect(page?.body).toMatch(/Answered by container [0-9a-f]{12}\./);
    await c.waitFor(async () => (await c.running('demo')).length === 3, 30_000, 'the three demo replicas');
    const tasks = await c.tasks('demo');
    const running = tasks.filter((t) => t.DesiredState === 'Running' && t.CurrentState!.startsWith('Running'));
    expect(running).toHaveLength(3);
    for (const t of running) expect(t.Ports).toMatch(/^127\.0\.0\.1:\d+->80\/tcp$/);
    expect(await c.ok('service', 'ls')).toMatch(new RegExp(`demo\\s+replicated\\s+3/3\\s+${TEST_IMAGE}\\s+\\*:${demoPort}->80/tcp`));
    // The mesh spreads the connections: every replica answers.
    await c.waitFor(async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const m = /Answered by container ([0-9a-f]{12})/.exec((await httpGet(`http://127.0.0.1:${demoPort}/`))?.body ?? '');
        if (m) seen.add(m[1]!);
      }
      return seen.size === 3;
    }, 20_000, 'every demo replica to answer');
  });

  it('lists one node, the leader, ready', async () => {
    const out = await c.ok('--host', c.managerAddr, 'node', 'ls');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\S+ \*\s+\S+\s+Ready\s+Active\s+Leader\s+\d+\.\d+/);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    expect(await c.signal('up', 'SIGTERM')).toBe(0);
  });
});

describe('shoal manager --agent', () => {
  const c = new TestCluster();

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s', agent: true });
    await c.waitFor(async () => (await c.nodes())[0]?.Status === 'Ready', 15_000, 'the manager node to be ready');
    c.trackNode((await c.nodes())[0]!.ID!);
  });
  afterAll(() => c.destroy());

  it('runs tasks on its own node', async () => {
    const out = await c.ok('service', 'create', '--name', 'local', '--replicas', '2', TEST_IMAGE);
    expect(out).toMatch(/verify: Service converged/);
    const tasks = await c.tasks('local');
    expect(tasks.map((t) => t.Node)).toEqual(['manager-1', 'manager-1']);
    expect(await c.running('local')).toHaveLength(2);
    expect(await c.signal('manager', 'SIGTERM')).toBe(0);
  });
});
