import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '@shoal/api';
import { healthEvents } from '../../../packages/agent/src/docker/health.js';
import { Cleanups } from '../helpers.js';
import { docker, testNodeId, WorkerHarness } from './harness.js';

const WAIT = { timeout: 20_000, interval: 50 };

/** busybox httpd that turns healthy once /tmp/ok exists (checked every 300 ms; failures count after 10 s, or after the first pass). */
function withCheck(task: Task, touchAfterS: number): Task {
  task.spec.container.command = ['sh', '-c', `trap 'exit 0' TERM; sleep ${touchAfterS}; touch /tmp/ok; /bin/busybox httpd -f -p 80 -h /www & wait`];
  task.spec.container.healthcheck = { test: ['CMD-SHELL', 'test -f /tmp/ok'], intervalMs: 300, timeoutMs: 1_000, retries: 2, startPeriodMs: 10_000 };
  return task;
}

describe('health checks on the Docker engine', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function harness(): Promise<WorkerHarness> {
    const h = new WorkerHarness(testNodeId());
    cleanups.add(() => h.destroy());
    return h.start();
  }

  const healthStream = (h: WorkerHarness) => healthEvents(h.engine.docker, h.nodeId, h.engine.host);

  it('STARTING until healthy, then RUNNING; unhealthy: stopped and FAILED; the event stream closed after', async () => {
    const h = await harness();
    const task = withCheck(h.task({ serviceName: 'hc' }), 1);
    await h.apply({ full: true, tasks: [task] });
    await vi.waitFor(() => expect(h.last(task.id)?.health).toBe('starting'), WAIT);
    expect(h.last(task.id)!.state).toBe('STARTING');
    expect(healthStream(h).stats()).toEqual({ listeners: 1, open: true });

    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('RUNNING'), WAIT);
    const running = h.last(task.id)!;
    expect(running.health).toBe('healthy');
    expect(running.container.startedAt).toBeGreaterThan(Date.now() - 20_000);
    expect(h.states(task.id)).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'STARTING', 'RUNNING']);

    await docker('exec', running.container.containerId, '/bin/busybox', 'rm', '/tmp/ok');
    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('FAILED'), WAIT);
    expect(h.last(task.id)).toMatchObject({ err: 'unhealthy container', health: 'unhealthy' });
    expect(await docker('inspect', '-f', '{{.State.Status}}', running.container.containerId)).toBe('exited');
    expect(healthStream(h).stats()).toEqual({ listeners: 0, open: false });
  });

  it('a container without a check is RUNNING at once; NONE disables a check', async () => {
    const h = await harness();
    const plain = h.task({ serviceName: 'plain' });
    const disabled = h.task({ serviceName: 'off' });
    disabled.spec.container.healthcheck = { test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };
    await h.apply({ full: true, tasks: [plain, disabled] });
    await vi.waitFor(() => {
      expect(h.last(plain.id)?.state).toBe('RUNNING');
      expect(h.last(disabled.id)?.state).toBe('RUNNING');
    }, WAIT);
    expect(h.last(plain.id)!.health).toBe('');
    expect(h.last(disabled.id)!.health).toBe('');
    expect(healthStream(h).stats().listeners).toBe(0);
  });

  it('a container with a check that exits while starting completes or fails by its exit code', async () => {
    const h = await harness();
    const ok = withCheck(h.task({ serviceName: 'quick0' }), 0);
    ok.spec.container.command = ['sh', '-c', 'exit 0'];
    const bad = withCheck(h.task({ serviceName: 'quick3' }), 0);
    bad.spec.container.command = ['sh', '-c', 'exit 3'];
    await h.apply({ full: true, tasks: [ok, bad] });
    await vi.waitFor(() => {
      expect(h.last(ok.id)?.state).toBe('COMPLETE');
      expect(h.last(bad.id)?.state).toBe('FAILED');
    }, WAIT);
    expect(h.last(ok.id)!.err).toBe('');
    expect(h.last(bad.id)!.err).toBe('task: non-zero exit (3)');
    expect(h.states(bad.id)).not.toContain('RUNNING');
    expect(healthStream(h).stats()).toEqual({ listeners: 0, open: false });
  });

  it('a shutdown while waiting for health stops the container at once and closes the stream', async () => {
    const h = await harness();
    const task = withCheck(h.task({ serviceName: 'slow' }), 600);
    await h.apply({ full: true, tasks: [task] });
    await vi.waitFor(() => expect(h.last(task.id)?.health).toBe('starting'), WAIT);
    await h.apply({ tasks: [{ ...task, desiredState: 'SHUTDOWN' }] });
    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('SHUTDOWN'), WAIT);
    expect(h.states(task.id)).not.toContain('RUNNING');
    expect(healthStream(h).stats()).toEqual({ listeners: 0, open: false });
  });

  it('a restarted agent keeps watching the health of the container it adopts', async () => {
    const h = await harness();
    const task = withCheck(h.task({ serviceName: 'adopt' }), 0);
    await h.apply({ full: true, tasks: [task] });
    await vi.waitFor(() => expect(h.last(task.id)?.state).toBe('RUNNING'), WAIT);
    const containerId = h.last(task.id)!.container.containerId;
    await h.stop();
    expect(healthStream(h).stats()).toEqual({ listeners: 0, open: false });

    const again = new WorkerHarness(h.nodeId);
    cleanups.add(() => again.destroy());
    await again.start(h.dataDir);
    await again.apply({ full: true, tasks: [task] });
    await vi.waitFor(() => expect(healthEvents(again.engine.docker, h.nodeId, again.engine.host).stats().listeners).toBe(1), WAIT);
    await docker('exec', containerId, '/bin/busybox', 'rm', '/tmp/ok');
    await vi.waitFor(() => expect(again.last(task.id)?.state).toBe('FAILED'), WAIT);
    expect(again.last(task.id)).toMatchObject({ err: 'unhealthy container', health: 'unhealthy' });
  });
});
