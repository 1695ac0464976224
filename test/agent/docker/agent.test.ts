import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAgent, type Agent } from '@shoal/agent';
import { newId, stateOrder, type TaskInput, type TaskState } from '@shoal/api';
import { FakeDispatcher } from '../fake-dispatcher.js';
import { Cleanups, makeTask, silentLogger } from '../helpers.js';
import { docker, removeNodeContainers, testNodeId } from './harness.js';

const WAIT = { timeout: 20_000, interval: 50 };

describe('agent with a manager and the Docker engine', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function setup(opts: { dockerHost?: string; tasks?: (nodeId: string) => TaskInput[] } = {}) {
    const nodeId = testNodeId();
    cleanups.add(() => removeNodeContainers(nodeId));
    const d = await new FakeDispatcher('SWMTKN-1-good', nodeId).start();
    cleanups.add(() => d.close());
    d.tasks = opts.tasks?.(nodeId) ?? [];
    const dataDir = await mkdtemp(join(tmpdir(), 'shoal-agent-'));
    cleanups.add(() => rm(dataDir, { recursive: true, force: true }));
    const agent: Agent = await startAgent({ join: d.addr, token: d.token, advertise: '127.0.0.3', dataDir, dockerHost: opts.dockerHost, logger: silentLogger });
    cleanups.add(() => agent.stop());
    return { nodeId, d, agent };
  }

  function task(nodeId: string, script?: string): TaskInput {
    const t = makeTask({ id: newId(), nodeId, serviceName: 'logsvc', graceMs: 1_000 });
    if (script) t.spec.container.command = ['sh', '-c', script];
    return t;
  }

  function lastState(d: FakeDispatcher, taskId: string): string | undefined {
    return d.statusUpdates().filter((u) => u.taskId === taskId).at(-1)?.status.state;
  }

  it('runs its assigned tasks and reports their states in order', async () => {
    // How states are coalesced into messages depends on how fast the engine is: status-batcher.test.ts proves it on a
    // fake clock; here, only what holds at any speed.
    let t!: TaskInput;
    const { d } = await setup({ tasks: (nodeId) => [(t = task(nodeId))] });
    const reg = d.registrations()[0]!;
    expect(reg.engineReady).toBe(true);
    expect(reg.description.engineVersion).toMatch(/^\d+\.\d+/);
    await vi.waitFor(() => expect(lastState(d, t.id!)).toBe('RUNNING'), WAIT);
    const order = d.statusUpdates().filter((u) => u.taskId === t.id).map((u) => stateOrder(u.status.state as TaskState));
    expect(order).toEqual([...order].sort((a, b) => a - b)); // forward only
    const running = d.statusUpdates().find((u) => u.status.state === 'RUNNING')!.status;
    expect(running.container.containerId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('re-sends the status of every task after the manager comes back', async () => {
    let t!: TaskInput;
    const { d } = await setup({ tasks: (nodeId) => [(t = task(nodeId))] });
    await vi.waitFor(() => expect(lastState(d, t.id!)).toBe('RUNNING'), WAIT);
    const port = d.addr.split(':')[1];
    await d.stop();
    const back = new FakeDispatcher(d.token, d.nodeId, d.secret);
    back.tasks = d.tasks;
    await back.start(`127.0.0.1:${port}`);
    cleanups.add(() => back.close());
    await vi.waitFor(() => expect(lastState(back, t.id!)).toBe('RUNNING'), WAIT);
    // The adopted container is the same one: nothing was started again.
    expect(await docker('ps', '-aq', '--filter', `label=shoal.task.id=${t.id}`)).toHaveLength(12);
  });

  it('streams the logs of its tasks to a subscription', async () => {
    let t!: TaskInput;
    const { d } = await setup({ tasks: (nodeId) => [(t = task(nodeId, 'echo hello; echo oops >&2; echo bye; sleep 600'))] });
    await vi.waitFor(() => expect(lastState(d, t.id!)).toBe('RUNNING'), WAIT);
    await vi.waitFor(async () => expect(await docker('logs', (await docker('ps', '-q', '--filter', `label=shoal.task.id=${t.id}`)))).toContain('bye'), WAIT);

    d.send({ logs: { id: 'sub1', taskIds: [t.id!], follow: false, tail: -1, since: 0 } });
    await vi.waitFor(() => expect(d.logBatches().some((b) => b.subscriptionId === 'sub1' && b.done)).toBe(true), WAIT);
    const lines = d.logBatches().filter((b) => b.subscriptionId === 'sub1').flatMap((b) => b.lines);
    // stdout and stderr are separate pipes: their relative order is the engine's, each one's own order is kept.
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual(['hello', 'bye']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['oops']);
    expect(lines[0]).toMatchObject({ taskId: t.id, nodeId: d.nodeId });
    expect(Math.abs(lines[0]!.timestampNs / 1e6 - Date.now())).toBeLessThan(60_000);
    expect(d.logBatches().find((b) => b.done)!.error).toBe('');

    d.send({ logs: { id: 'sub2', taskIds: [t.id!], follow: false, tail: 1, since: 0 } });
    await vi.waitFor(() => expect(d.logBatches().some((b) => b.subscriptionId === 'sub2' && b.done)).toBe(true), WAIT);
    // The last line of the container's log, whichever stream wrote it last.
    expect(d.logBatches().filter((b) => b.subscriptionId === 'sub2').flatMap((b) => b.lines)).toHaveLength(1);

    d.send({ logs: { id: 'sub3', taskIds: [t.id!], follow: true, tail: 0, since: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(d.logBatches().some((b) => b.subscriptionId === 'sub3' && b.done)).toBe(false); // following
    d.send({ logs: { id: 'sub3', cancel: true } });
    await vi.waitFor(() => expect(d.logBatches().some((b) => b.subscriptionId === 'sub3' && b.done)).toBe(true), WAIT);

    d.send({ logs: { id: 'sub4', taskIds: ['not-a-task-of-mine'], follow: false, tail: -1, since: 0 } });
    await vi.waitFor(() => expect(d.logBatches().find((b) => b.subscriptionId === 'sub4')?.done).toBe(true), WAIT);
    expect(d.logBatches().find((b) => b.subscriptionId === 'sub4')!.error).toContain('not assigned to this node');
  });

  it('keeps running without the engine, and resumes its tasks when the engine comes back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-engine-'));
    cleanups.add(() => rm(dir, { recursive: true, force: true }));
    const sock = join(dir, 'docker.sock');
    let t!: TaskInput;
    const { d } = await setup({ dockerHost: `unix://${sock}`, tasks: (nodeId) => [(t = task(nodeId))] });
    expect(d.registrations()[0]).toMatchObject({ engineReady: false });
    expect(d.registrations()[0]!.engineMessage).toContain(`cannot reach Docker engine at unix://${sock}`);
    await vi.waitFor(() => expect(lastState(d, t.id!)).toBe('ACCEPTED'), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lastState(d, t.id!)).toBe('ACCEPTED'); // not rejected: waiting for the engine

    // The engine "comes back": a proxy to the real socket appears at the agent's address.
    const proxy = await EngineProxy.listen(sock);
    cleanups.add(() => proxy.close());
    await vi.waitFor(() => expect(lastState(d, t.id!)).toBe('RUNNING'), WAIT);
    await vi.waitFor(() => expect(d.heartbeats().at(-1)).toMatchObject({ engineReady: true, engineMessage: '' }), WAIT);
    // It registered again to tell the manager the engine's version.
    await vi.waitFor(() => expect(d.registrations().at(-1)!.description.engineVersion).toMatch(/^\d+\.\d+/), WAIT);
  });

  it('keeps watching a running task through an engine outage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-engine-'));
    cleanups.add(() => rm(dir, { recursive: true, force: true }));
    const sock = join(dir, 'docker.sock');
    let proxy = await EngineProxy.listen(sock);
    cleanups.add(() => proxy.close());
    let t!: TaskInput;
    const { d } = await setup({ dockerHost: `unix://${sock}`, tasks: (nodeId) => [(t = task(nodeId))] });
    await vi.waitFor(() => expect(lastState(d, t.id!)).toBe('RUNNING'), WAIT);

    await proxy.close(); // the agent's wait on the container breaks; the container itself runs on
    await vi.waitFor(() => expect(d.heartbeats().at(-1)).toMatchObject({ engineReady: false }), WAIT);
    proxy = await EngineProxy.listen(sock);
    await vi.waitFor(() => expect(d.heartbeats().at(-1)).toMatchObject({ engineReady: true }), WAIT);
    expect(lastState(d, t.id!)).toBe('RUNNING'); // an outage of the agent's view is not a task failure

    await docker('kill', (await docker('ps', '-q', '--filter', `label=shoal.task.id=${t.id}`)));
    await vi.waitFor(() => expect(lastState(d, t.id!)).toBe('FAILED'), WAIT); // and it is watched again
  });
});

/** Stands in for the engine: forwards a unix socket to the real one, and can vanish with its connections. */
class EngineProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((client) => {
    const upstream = net.connect('/var/run/docker.sock');
    this.sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });

  static async listen(path: string): Promise<EngineProxy> {
    const proxy = new EngineProxy();
    await new Promise<void>((resolve) => proxy.server.listen(path, resolve));
    return proxy;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy(); // close() waits for open connections otherwise
    });
  }
}
