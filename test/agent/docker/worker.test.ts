import { afterEach, describe, expect, it, vi } from 'vitest';
import { TEST_IMAGE } from '../../e2e/images.js';
import { Cleanups } from '../helpers.js';
import { docker, removeNodeContainers, testNodeId, WorkerHarness } from './harness.js';

const WAIT = { timeout: 20_000, interval: 50 };

describe('worker on the Docker engine', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function harness(nodeId = testNodeId()): Promise<WorkerHarness> {
    const h = new WorkerHarness(nodeId);
    cleanups.add(() => h.destroy());
    return h.start();
  }

  it('runs a task as a container with its name, labels and host port', async () => {
    const h = await harness();
    const task = h.task({ serviceName: 'web', slot: 2, endpoint: { ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 0, publishMode: 'host' }] } });
    task.spec.container.labels = { team: 'blue' };
    await h.apply({ full: true, tasks: [task] });
    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('RUNNING'), WAIT);
    expect(h.states(task.id)).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING']);

    const names = await docker('ps', '--filter', `label=shoal.task.id=${task.id}`, '--format', '{{.Names}}');
    expect(names).toBe(`web.2.${task.id}`);
    const labels = JSON.parse(await docker('inspect', '-f', '{{json .Config.Labels}}', names)) as Record<string, string>;
    expect(labels).toMatchObject({
      'shoal.task.id': task.id, 'shoal.service.id': task.serviceId, 'shoal.service.name': 'web', 'shoal.node.id': h.nodeId, 'shoal.slot': '2', team: 'blue',
    });

    const running = h.last(task.id)!;
    expect(running.container.containerId).toMatch(/^[0-9a-f]{64}$/);
    expect(running.container.pid).toBeGreaterThan(0);
    const port = running.ports[0]!;
    expect(port).toMatchObject({ protocol: 'tcp', targetPort: 80, publishMode: 'host' });
    expect(port.publishedPort).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.2:${port.publishedPort}/`);
    expect(res.status).toBeLessThan(500);
  });

  it('stops a task whose desired state is SHUTDOWN, keeps its container until the task is removed', async () => {
    const h = await harness();
    const task = h.task();
    await h.apply({ full: true, tasks: [task] });
    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('RUNNING'), WAIT);

    await h.apply({ tasks: [{ ...task, desiredState: 'SHUTDOWN' }] });
    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('SHUTDOWN'), WAIT);
    expect(await docker('ps', '-a', '--filter', `label=shoal.task.id=${task.id}`, '--format', '{{.State}}')).toBe('exited');

    await h.apply({ removed: [task.id] });
    await vi.waitFor(async () => expect(await docker('ps', '-aq', '--filter', `label=shoal.task.id=${task.id}`)).toBe(''), WAIT);
  });

  it('reports COMPLETE for exit 0 and FAILED with the exit code otherwise', async () => {
    const h = await harness();
    const ok = h.task({ serviceName: 'ok' });
    ok.spec.container.command = ['sh', '-c', 'exit 0'];
    const bad = h.task({ serviceName: 'bad' });
    bad.spec.container.command = ['sh', '-c', 'exit 3'];
    await h.apply({ full: true, tasks: [ok, bad] });
    await vi.waitFor(() => {
      expect(h.last(ok.id)?.state).toBe('COMPLETE');
      expect(h.last(bad.id)?.state).toBe('FAILED');
    }, WAIT);
    expect(h.last(bad.id)).toMatchObject({ err: 'task: non-zero exit (3)', container: { exitCode: 3 } });
    // A task is one attempt: the exited containers stay exited, never restarted.
    expect(await docker('ps', '-a', '--filter', `label=shoal.node.id=${h.nodeId}`, '--format', '{{.State}}')).toBe('exited\nexited');
  });

  it('rejects a task whose image cannot be pulled, with the engine\'s message', async () => {
    const h = await harness();
    const task = h.task({ image: '127.0.0.1:5999/nope:1' });
    await h.apply({ full: true, tasks: [task] });
    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('REJECTED'), WAIT);
    expect(h.states(task.id)).toEqual(['ACCEPTED', 'PREPARING', 'REJECTED']);
    expect(h.last(task.id)!.err).toMatch(/127\.0\.0\.1:5999.*connection refused/);
    expect(await docker('ps', '-aq', '--filter', `label=shoal.task.id=${task.id}`)).toBe('');
  });

  it('adopts its running containers after a restart, and removes its orphans once the full set arrives', async () => {
    const h = await harness();
    const kept = h.task({ serviceName: 'kept' });
    const dropped = h.task({ serviceName: 'dropped' });
    await h.apply({ full: true, tasks: [kept, dropped] });
    await vi.waitFor(() => {
      expect(h.last(kept.id)?.state).toBe('RUNNING');
      expect(h.last(dropped.id)?.state).toBe('RUNNING');
    }, WAIT);
    const keptId = h.last(kept.id)!.container.containerId;
    await h.stop();
    // The containers outlive the agent.
    expect(await docker('inspect', '-f', '{{.State.Running}}', keptId)).toBe('true');

    const again = new WorkerHarness(h.nodeId);
    cleanups.add(() => again.destroy());
    await again.start(h.dataDir);
    // Before the manager answers, the stored set is resumed: nothing is started, created or removed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.states(kept.id)).toEqual([]);
    expect(await docker('ps', '-q', '--no-trunc', '--filter', `label=shoal.node.id=${h.nodeId}`)).toContain(keptId);
    expect((await docker('ps', '-aq', '--filter', `label=shoal.node.id=${h.nodeId}`)).split('\n')).toHaveLength(2);

    await again.apply({ full: true, tasks: [kept] });
    await vi.waitFor(async () => expect(await docker('ps', '-aq', '--filter', `label=shoal.task.id=${dropped.id}`)).toBe(''), WAIT);
    expect(await docker('ps', '-q', '--no-trunc', '--filter', `label=shoal.node.id=${h.nodeId}`)).toBe(keptId);

    // Still watching the adopted container: its exit is reported.
    await docker('kill', keptId);
    await vi.waitFor(() => expect(again.last(kept.id)?.state).toBe('FAILED'), WAIT);
  });

  it('never touches another node\'s containers', async () => {
    const h = await harness();
    const other = testNodeId();
    cleanups.add(() => removeNodeContainers(other));
    const foreign = await docker('run', '-d', '--label', `shoal.node.id=${other}`, '--label', 'shoal.task.id=foreign', TEST_IMAGE);
    await h.apply({ full: true, tasks: [] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await docker('inspect', '-f', '{{.State.Running}}', foreign)).toBe('true');
  });
});
