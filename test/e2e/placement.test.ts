// Placement as a user sees it: constraints, resource reservations that fit nowhere (pending with the reason, placed
// as soon as a node fits), and host-mode published ports that never collide on a node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, freePort } from './harness.js';
import { TEST_IMAGE } from './images.js';

describe('placement on a manager and two agents', () => {
  const c = new TestCluster();

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s' });
    await c.startAgent(1, ['--label', 'disk=ssd']);
    await c.startAgent(2);
  });
  afterAll(() => c.destroy());

  /** Hostnames of the running tasks of a service, sorted. */
  async function placed(service: string): Promise<string[]> {
    return (await c.tasks(service))
      .filter((t) => t.DesiredState === 'Running' && t.CurrentState!.startsWith('Running'))
      .map((t) => t.Node!).sort();
  }

  async function runs(service: string, nodes: string[], timeoutMs = 30_000): Promise<void> {
    await c.waitFor(async () => JSON.stringify(await placed(service)) === JSON.stringify(nodes)
      && (await c.running(service)).length === nodes.length, timeoutMs, `${service} to run on ${nodes.join(', ')}`);
  }

  /** The errors of the tasks of a service that wait for a node. */
  async function pendingErrors(service: string): Promise<string[]> {
    return (await c.tasks(service)).filter((t) => t.CurrentState!.startsWith('Pending')).map((t) => t.Error!);
  }

  it.each([
    ['node.labels.zone==east', ['node-2', 'node-2']],
    ['node.hostname==node-1', ['node-1', 'node-1']],
    ['node.hostname!=node-1', ['node-2', 'node-2']],
    ['engine.labels.disk==ssd', ['node-1', 'node-1']],
    ['engine.labels.disk!=ssd', ['node-2', 'node-2']],
    ['node.role==worker', ['node-1', 'node-2']],
  ])('places the replicas of --constraint %s on %j', async (constraint, nodes) => {
    await c.ok('node', 'update', '--label-add', 'zone=east', 'node-2');
    const name = `c${constraint.replace(/[^a-z0-9]/g, '')}`.slice(0, 40);
    await c.ok('service', 'create', '--name', name, '--replicas', '2', '--constraint', constraint, '-d', TEST_IMAGE);
    await runs(name, nodes);
    await c.ok('service', 'rm', name);
  });

  it('keeps a task pending while no node has its label, and places it once one does', async () => {
    await c.ok('service', 'create', '--name', 'gpu', '--constraint', 'node.labels.gpu==yes', '-d', TEST_IMAGE);
    await c.waitFor(async () => (await pendingErrors('gpu')).length === 1, 10_000, 'gpu to be pending');
    expect.soft(await pendingErrors('gpu')).toEqual(['"no suitable node (scheduling constraints not satisfied on 2 nodes)"']);
    const table = await c.ok('service', 'ps', 'gpu');
    expect.soft(table).toMatch(/gpu\.1\s+shoal-demo:1\s+Running\s+Pending .*\s+"no suitable node \(scheduling …"/);
    await c.ok('node', 'update', '--label-add', 'gpu=yes', 'node-1');
    await runs('gpu', ['node-1']);
    await c.ok('service', 'rm', 'gpu');
  });

  it('never reserves more memory than a node has: pending with the reason, placed as soon as a node fits', async () => {
    const node = JSON.parse(await c.ok('node', 'inspect', 'node-1')) as Array<{ description: { resources: { memoryBytes: number } } }>;
    const memory = node[0]!.description.resources.memoryBytes;
    // More than half of a node: one such task fits per node.
    const reserve = `${Math.floor((memory * 0.6) / 1024 / 1024)}M`;
    await c.ok('service', 'create', '--name', 'big', '--replicas', '2', '--reserve-memory', reserve, '-d', TEST_IMAGE);
    await runs('big', ['node-1', 'node-2']);
    await c.ok('service', 'create', '--name', 'bigger', '--reserve-memory', reserve, '-d', TEST_IMAGE);
    await c.waitFor(async () => (await pendingErrors('bigger')).length === 1, 10_000, 'bigger to be pending');
    expect.soft(await pendingErrors('bigger')).toEqual(['"no suitable node (insufficient memory on 2 nodes)"']);
    // A reservation larger than any node stays pending too.
    await c.ok('service', 'create', '--name', 'huge', '--reserve-memory', `${Math.ceil(memory / 1024 / 1024) + 1024}M`, '-d', TEST_IMAGE);
    await c.waitFor(async () => (await pendingErrors('huge')).length === 1, 10_000, 'huge to be pending');
    expect.soft(await pendingErrors('huge')).toEqual(['"no suitable node (insufficient memory on 2 nodes)"']);

    await c.ok('service', 'scale', 'big=1');
    await c.waitFor(async () => (await placed('bigger')).length === 1, 30_000, 'bigger to be placed where big left room');
    expect([...(await placed('big')), ...(await placed('bigger'))].sort()).toEqual(['node-1', 'node-2']);
    expect.soft(await pendingErrors('huge')).toHaveLength(1);
    await c.ok('service', 'rm', 'big', 'bigger', 'huge');
  });

  it('never binds one host-mode port twice on a node, and the port answers HTTP on each node\'s address', async () => {
    const port = await freePort();
    await c.ok('service', 'create', '--name', 'hostport', '--replicas', '3', '--publish', `mode=host,published=${port},target=80`, '-d', TEST_IMAGE);
    await runs('hostport', ['node-1', 'node-2']);
    await c.waitFor(async () => (await pendingErrors('hostport')).length === 1, 10_000, 'the third replica to be pending');
    expect.soft(await pendingErrors('hostport')).toEqual(['"no suitable node (host-mode port already in use on 2 nodes)"']);
    for (const addr of ['127.0.0.2', '127.0.0.3']) {
      const res = await fetch(`http://${addr}:${port}/`, { signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Hello from shoal');
    }
    const ports = (await c.tasks('hostport')).filter((t) => t.CurrentState!.startsWith('Running')).map((t) => t.Ports);
    expect(ports).toEqual([`*:${port}->80/tcp`, `*:${port}->80/tcp`]);
    await c.ok('service', 'rm', 'hostport');
  });
});
