import { describe, expect, it } from 'vitest';
import { FakeClock, ShoalError, stateOrder, UnavailableError, type Task, type TaskState, type TaskStatus } from '@shoal/api';
import { TaskRunner } from '../../packages/agent/src/exec/runner.js';
import { deferred, FakeController, type Deferred } from './fake-controller.js';
import { makeTask, settle, silentLogger, status } from './helpers.js';

function harness(task: Task, initial: TaskStatus = status('ASSIGNED')) {
  const clock = new FakeClock();
  const controller = new FakeController();
  const reported: TaskStatus[] = [];
  const engineWaits: Deferred<void>[] = [];
  const runner = new TaskRunner({
    task, status: initial, controller, clock, logger: silentLogger,
    report: (s) => reported.push(s),
    awaitEngine: () => { const d = deferred<void>(); engineWaits.push(d); return d.promise; },
  });
  const states = () => reported.map((s) => s.state);
  return { clock, controller, reported, states, runner, engineWaits };
}

function expectForwardOnly(reported: TaskStatus[], from: TaskState): void {
  let last = stateOrder(from);
  for (const s of reported) {
    expect(stateOrder(s.state)).toBeGreaterThan(last);
    last = stateOrder(s.state);
  }
}

describe('task runner ladder', () => {
  const cases: {
    name: string;
    setup?: (c: FakeController) => void;
    exitCode?: number;
    states: TaskState[];
    err?: string;
  }[] = [
    { name: 'exit 0 completes', exitCode: 0, states: ['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING', 'COMPLETE'] },
    { name: 'non-zero exit fails', exitCode: 3, states: ['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING', 'FAILED'], err: 'task: non-zero exit (3)' },
    {
      name: 'an error while preparing rejects',
      setup: (c) => { c.prepareError = new ShoalError('pull access denied for nope'); },
      states: ['ACCEPTED', 'PREPARING', 'REJECTED'], err: 'pull access denied for nope',
    },
    {
      name: 'an error while starting fails',
      setup: (c) => { c.startError = new ShoalError('port is already allocated'); },
      states: ['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'FAILED'], err: 'port is already allocated',
    },
    {
      name: 'a container already started is watched, not started again',
      setup: (c) => { c.container = { containerId: 'c0', running: true, started: true, pid: 7, exitCode: 0, ports: [] }; },
      exitCode: 0, states: ['ACCEPTED', 'RUNNING', 'COMPLETE'],
    },
  ];

  for (const tc of cases) {
    it(tc.name, async () => {
      const h = harness(makeTask());
      tc.setup?.(h.controller);
      h.runner.start();
      await settle();
      if (tc.exitCode !== undefined) h.controller.exit.resolve(tc.exitCode);
      await settle();
      expect(h.states()).toEqual(tc.states);
      expectForwardOnly(h.reported, 'ASSIGNED');
      const last = h.reported.at(-1)!;
      expect(last.err).toBe(tc.err ?? '');
      if (tc.exitCode !== undefined) expect(last.container.exitCode).toBe(tc.exitCode);
      expect(h.controller.calls.filter((c) => c === 'start').length).toBeLessThanOrEqual(1);
      await h.runner.close();
    });
  }

  it('stamps each status with the clock and carries the container once started', async () => {
    const h = harness(makeTask());
    h.runner.start();
    await settle();
    const running = h.reported.find((s) => s.state === 'RUNNING')!;
    expect(running.timestamp).toBe(h.clock.now());
    expect(running.message).toBe('started');
    expect(running.container).toEqual({ containerId: 'c1', pid: 42, exitCode: 0, startedAt: 0 });
    await h.runner.close();
  });

  it('resumes at RUNNING without reporting anything lower', async () => {
    const h = harness(makeTask(), status('RUNNING', { container: { containerId: 'c0', pid: 7, exitCode: 0 } }));
    h.controller.container = { containerId: 'c0', running: true, started: true, pid: 7, exitCode: 0, ports: [] };
    h.runner.start();
    await settle();
    expect(h.states()).toEqual([]);
    h.controller.exit.resolve(1);
    await settle();
    expect(h.states()).toEqual(['FAILED']);
    expect(h.controller.calls).not.toContain('start');
    await h.runner.close();
  });

  it('fails a task whose container vanished while the agent was away', async () => {
    const h = harness(makeTask(), status('RUNNING'));
    h.controller.exit.reject(new ShoalError('No such container: web.1.task1'));
    h.runner.start();
    await settle();
    expect(h.states()).toEqual(['FAILED']);
    expect(h.reported[0]!.err).toContain('No such container');
    await h.runner.close();
  });

  it('leaves a terminal task alone, whatever the desired state', async () => {
    const h = harness(makeTask({ desiredState: 'SHUTDOWN' }), status('COMPLETE'));
    h.runner.start();
    await settle();
    expect(h.states()).toEqual([]);
    expect(h.controller.calls).toEqual([]);
    await h.runner.close();
  });

  it('waits at READY while the desired state is READY', async () => {
    const task = makeTask({ desiredState: 'READY' });
    const h = harness(task);
    h.runner.start();
    await settle();
    expect(h.states()).toEqual(['ACCEPTED', 'PREPARING', 'READY']);
    h.runner.update({ ...task, desiredState: 'RUNNING' });
    await settle();
    expect(h.states()).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING']);
    await h.runner.close();
  });
});

describe('task runner shutdown and removal', () => {
  it('stops a running task with its grace period and reports SHUTDOWN', async () => {
    const task = makeTask({ graceMs: 2_500 });
    const h = harness(task);
    h.runner.start();
    await settle();
    h.runner.update({ ...task, desiredState: 'SHUTDOWN' });
    await settle();
    expect(h.states()).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING', 'SHUTDOWN']);
    expect(h.controller.calls).toContain('shutdown(2500)');
    expect(h.controller.calls).not.toContain('remove'); // kept until the task leaves the assignments
    expect(h.reported.at(-1)!.container.exitCode).toBe(137);
    await h.runner.close();
  });

  it('uses the default grace of 10 s', async () => {
    const h = harness(makeTask({ desiredState: 'SHUTDOWN' }), status('RUNNING'));
    h.runner.start();
    await settle();
    expect(h.controller.calls).toContain('shutdown(10000)');
    expect(h.states()).toEqual(['SHUTDOWN']);
    await h.runner.close();
  });

  it('shutdown while starting: no RUNNING, the started container is stopped', async () => {
    const task = makeTask();
    const h = harness(task);
    h.controller.startGate = deferred<void>();
    h.runner.start();
    await settle();
    expect(h.states().at(-1)).toBe('STARTING');
    h.runner.update({ ...task, desiredState: 'SHUTDOWN' });
    h.controller.startGate.resolve();
    await settle();
    expect(h.states()).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'SHUTDOWN']);
    expect(h.controller.container?.running).toBe(false);
    await h.runner.close();
  });

  it('shutdown before anything ran reports SHUTDOWN without a container', async () => {
    const h = harness(makeTask({ desiredState: 'SHUTDOWN' }));
    h.runner.start();
    await settle();
    expect(h.states()).toEqual(['SHUTDOWN']);
    expect(h.controller.calls).not.toContain('prepare');
    await h.runner.close();
  });

  it('removal stops a running container, then removes it and ends the runner', async () => {
    const h = harness(makeTask());
    h.runner.start();
    await settle();
    await h.runner.remove();
    expect(h.states().at(-1)).toBe('SHUTDOWN');
    expect(h.controller.calls.slice(-2)).toEqual(['shutdown(10000)', 'remove']);
    expect(h.controller.container).toBeUndefined();
  });

  it('close leaves the container running', async () => {
    const h = harness(makeTask());
    h.runner.start();
    await settle();
    await h.runner.close();
    expect(h.controller.container?.running).toBe(true);
    expect(h.states().at(-1)).toBe('RUNNING');
  });
});

describe('task runner and the engine going away', () => {
  it('waits for the engine instead of rejecting, then carries on', async () => {
    const h = harness(makeTask());
    h.controller.failNext = [new UnavailableError('cannot reach Docker engine at unix:///nope')];
    h.runner.start();
    await settle();
    expect(h.engineWaits).toHaveLength(1);
    expect(h.states()).toEqual(['ACCEPTED']); // acknowledged; the rest waits for the engine
    h.engineWaits[0]!.resolve();
    await settle();
    expect(h.states()).toEqual(['ACCEPTED', 'PREPARING', 'READY', 'STARTING', 'RUNNING']);
    await h.runner.close();
  });

  it('a wait broken by an engine outage is resumed, not reported as a failure', async () => {
    const h = harness(makeTask(), status('RUNNING'));
    h.controller.container = { containerId: 'c0', running: true, started: true, pid: 7, exitCode: 0, ports: [] };
    h.controller.exit.reject(new UnavailableError('cannot reach Docker engine'));
    h.runner.start();
    await settle();
    expect(h.engineWaits).toHaveLength(1);
    h.controller.exit = deferred<number>();
    h.engineWaits[0]!.resolve();
    await settle();
    h.controller.exit.resolve(0);
    await settle();
    expect(h.states()).toEqual(['COMPLETE']);
    await h.runner.close();
  });
});
