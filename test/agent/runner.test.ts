import { describe, expect, it } from 'vitest';
import { FakeClock, NotFoundError, ShoalError, stateOrder, UnavailableError, type Task, type TaskState, type TaskStatus } from '@shoal/api';
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
    mayStart: () => true,
    stopped: () => undefined,
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
      setup: (c) => { c.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: '' }; },
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

  it('stamps each status with the clock and carries the container, with the engine\'s start time, once started', async () => {
    const h = harness(makeTask());
    h.runner.start();
    await settle();
    const running = h.reported.find((s) => s.state === 'RUNNING')!;
    expect(running.timestamp).toBe(h.clock.now());
    expect(running.message).toBe('started');
    // Running since the engine's start of the container, not since the agent saw it.
    expect(running.container).toEqual({ containerId: 'c1', pid: 42, exitCode: 0, startedAt: h.controller.startedAtMs });
    expect(h.controller.startedAtMs).not.toBe(h.clock.now());
    expect(running.health).toBe('');
    expect(h.reported.filter((s) => s.state !== 'RUNNING').every((s) => !s.container.startedAt)).toBe(true);
    await h.runner.close();
  });

  it('adopting a started container takes its start time from the engine', async () => {
    const h = harness(makeTask());
    h.controller.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: '' };
    h.runner.start();
    await settle();
    expect(h.reported.at(-1)).toMatchObject({ state: 'RUNNING', container: { containerId: 'c0', startedAt: 500 } });
    await h.runner.close();
  });

  it('resumes at RUNNING without reporting anything lower', async () => {
    const h = harness(makeTask(), status('RUNNING', { container: { containerId: 'c0', pid: 7, exitCode: 0 } }));
    h.controller.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: '' };
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
    h.controller.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: '' };
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

describe('task runner and health checks', () => {
  function healthHarness(task = makeTask({ graceMs: 3_000 }), initial?: TaskStatus) {
    const h = harness(task, initial);
    h.controller.healthcheck = true;
    return h;
  }
  const healthOf = (reported: TaskStatus[]) => reported.map((s) => `${s.state}/${s.health}`);

  it('stays STARTING while the check has not passed, then RUNNING once healthy', async () => {
    const h = healthHarness();
    h.runner.start();
    await settle();
    expect(healthOf(h.reported)).toEqual(['ACCEPTED/', 'PREPARING/', 'READY/', 'STARTING/', 'STARTING/starting']);
    const waiting = h.reported.at(-1)!;
    expect(waiting.message).not.toBe(h.reported.at(-2)!.message); // the manager keeps a same-state status only if it says more
    expect(waiting.container).toMatchObject({ containerId: 'c1', pid: 42, startedAt: 0 });
    expect(h.controller.healthWaiters.size).toBe(1);

    h.clock.advance(4_000);
    h.controller.setHealth('healthy');
    await settle();
    expect(healthOf(h.reported).slice(5)).toEqual(['RUNNING/healthy']);
    expect(h.reported.at(-1)!.container.startedAt).toBe(h.clock.now());
    expect(h.controller.healthWaiters.size).toBe(1); // still watched: it may turn unhealthy later
    expect(h.controller.calls.filter((c) => c === 'start')).toHaveLength(1);
    expectForwardOnly(h.reported.filter((s) => s.health !== 'starting'), 'ASSIGNED');
    await h.runner.close();
    expect(h.controller.healthWaiters.size).toBe(0);
  });

  it('unhealthy while starting: the container is stopped with the grace period, the task FAILED', async () => {
    const h = healthHarness();
    h.runner.start();
    await settle();
    h.controller.setHealth('unhealthy');
    await settle();
    expect(healthOf(h.reported).slice(4)).toEqual(['STARTING/starting', 'FAILED/unhealthy']);
    const failed = h.reported.at(-1)!;
    expect(failed.err).toBe('unhealthy container');
    expect(failed.container.startedAt).toBe(0); // never RUNNING
    expect(h.controller.calls).toContain('shutdown(3000)');
    expect(h.controller.container?.running).toBe(false);
    expect(h.controller.healthWaiters.size).toBe(0);
    expect(h.states()).not.toContain('RUNNING');
    await h.runner.close();
  });

  it('unhealthy after running: stopped and FAILED the same way', async () => {
    const h = healthHarness();
    h.runner.start();
    await settle();
    h.controller.setHealth('healthy');
    await settle();
    const startedAt = h.reported.at(-1)!.container.startedAt;
    h.clock.advance(60_000);
    h.controller.setHealth('unhealthy');
    await settle();
    expect(healthOf(h.reported).slice(4)).toEqual(['STARTING/starting', 'RUNNING/healthy', 'FAILED/unhealthy']);
    expect(h.reported.at(-1)).toMatchObject({ err: 'unhealthy container', container: { startedAt, exitCode: 137 } });
    expect(h.controller.calls).toContain('shutdown(3000)');
    expect(h.controller.healthWaiters.size).toBe(0);
    await h.runner.close();
  });

  it('a container that exits while starting fails or completes as without a check', async () => {
    for (const [code, state] of [[0, 'COMPLETE'], [2, 'FAILED']] as const) {
      const h = healthHarness();
      h.runner.start();
      await settle();
      h.controller.exit.resolve(code);
      await settle();
      expect(h.states().slice(-2)).toEqual(['STARTING', state]);
      expect(h.reported.at(-1)!.err).toBe(code ? `task: non-zero exit (${code})` : '');
      expect(h.controller.healthWaiters.size).toBe(0);
      await h.runner.close();
    }
  });

  it('no check: RUNNING at once with health empty, and no health wait', async () => {
    const h = harness(makeTask());
    h.runner.start();
    await settle();
    expect(healthOf(h.reported).slice(-2)).toEqual(['STARTING/', 'RUNNING/']);
    expect(h.controller.calls.some((c) => c.startsWith('healthChange'))).toBe(false);
    await h.runner.close();
  });

  it('a shutdown while waiting for health is honoured at once', async () => {
    const task = makeTask({ graceMs: 3_000 });
    const h = healthHarness(task);
    h.runner.start();
    await settle();
    h.runner.update({ ...task, desiredState: 'SHUTDOWN' });
    await settle();
    expect(healthOf(h.reported).slice(4)).toEqual(['STARTING/starting', 'SHUTDOWN/starting']);
    expect(h.controller.calls).toContain('shutdown(3000)');
    expect(h.controller.healthWaiters.size).toBe(0);
    h.controller.setHealth('unhealthy'); // too late to matter
    await settle();
    expect(h.states().at(-1)).toBe('SHUTDOWN');
    await h.runner.close();
  });

  it('a removal while waiting for health stops and removes the container', async () => {
    const h = healthHarness();
    h.runner.start();
    await settle();
    await h.runner.remove();
    expect(h.states().at(-1)).toBe('SHUTDOWN');
    expect(h.controller.calls.slice(-2)).toEqual(['shutdown(3000)', 'remove']);
    expect(h.controller.healthWaiters.size).toBe(0);
  });

  it('a desired-state change that does not concern it keeps the same health wait', async () => {
    const task = makeTask();
    const h = healthHarness(task);
    h.runner.start();
    await settle();
    h.runner.update({ ...task, meta: { ...task.meta, version: 2 } });
    await settle();
    expect(h.controller.calls.filter((c) => c.startsWith('healthChange'))).toEqual(['healthChange(starting)']);
    expect(h.controller.calls.filter((c) => c === 'wait')).toHaveLength(1);
    await h.runner.close();
  });

  it('after an agent restart, a starting container is watched until healthy; RUNNING takes the agent clock', async () => {
    const h = healthHarness(makeTask(), status('STARTING', { health: 'starting' }));
    h.controller.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: 'starting' };
    h.runner.start();
    await settle();
    expect(h.states()).toEqual([]);
    expect(h.controller.calls).not.toContain('start');
    h.controller.setHealth('healthy');
    await settle();
    expect(healthOf(h.reported)).toEqual(['RUNNING/healthy']);
    expect(h.reported[0]!.container.startedAt).toBe(h.clock.now());
    await h.runner.close();
  });

  it('after an agent restart, a running healthy container keeps being watched', async () => {
    const h = healthHarness(makeTask(), status('RUNNING', { health: 'healthy', container: { containerId: 'c0', pid: 7, exitCode: 0, startedAt: 500 } }));
    h.controller.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: 'healthy' };
    h.runner.start();
    await settle();
    expect(h.controller.calls).toContain('healthChange(healthy)');
    h.controller.setHealth('unhealthy');
    await settle();
    expect(healthOf(h.reported)).toEqual(['FAILED/unhealthy']);
    expect(h.reported[0]).toMatchObject({ err: 'unhealthy container', container: { startedAt: 500 } });
    await h.runner.close();
  });

  it('adopting a container that turned unhealthy while the agent was away fails it', async () => {
    const h = healthHarness(makeTask(), status('STARTING', { health: 'starting' }));
    h.controller.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: 'unhealthy' };
    h.runner.start();
    await settle();
    expect(healthOf(h.reported)).toEqual(['FAILED/unhealthy']);
    expect(h.controller.container.running).toBe(false);
    await h.runner.close();
  });

  it('adopting a container with a check that exited while the agent was away reports its exit', async () => {
    const h = healthHarness(makeTask(), status('STARTING'));
    // A stopped container has no verdict: the engine's 'unhealthy' after the exit is not read as one.
    h.controller.container = { containerId: 'c0', running: false, started: true, startedAt: 500, pid: 0, exitCode: 2, ports: [], health: 'starting' };
    h.controller.exit.resolve(2);
    h.runner.start();
    await settle();
    expect(healthOf(h.reported)).toEqual(['STARTING/starting', 'FAILED/starting']);
    expect(h.reported.at(-1)!.err).toBe('task: non-zero exit (2)');
    expect(h.controller.healthWaiters.size).toBe(0);
    await h.runner.close();
  });

  it('adopting a healthy container: RUNNING with the engine\'s start time', async () => {
    const h = healthHarness(makeTask(), status('STARTING', { health: 'starting' }));
    h.controller.container = { containerId: 'c0', running: true, started: true, startedAt: 500, pid: 7, exitCode: 0, ports: [], health: 'healthy' };
    h.runner.start();
    await settle();
    expect(h.reported).toHaveLength(1);
    expect(h.reported[0]).toMatchObject({ state: 'RUNNING', health: 'healthy', container: { startedAt: 500 } });
    await h.runner.close();
  });

  it('a health wait broken by an engine outage waits for the engine and is made again', async () => {
    const h = healthHarness();
    const realHealthChange = h.controller.healthChange.bind(h.controller);
    let broken = false;
    h.controller.healthChange = (known, signal) => {
      if (!broken) { broken = true; return Promise.reject(new UnavailableError('cannot reach Docker engine')); }
      return realHealthChange(known, signal);
    };
    h.runner.start();
    await settle();
    expect(h.engineWaits).toHaveLength(1);
    h.engineWaits[0]!.resolve();
    await settle();
    expect(h.controller.healthWaiters.size).toBe(1);
    h.controller.setHealth('healthy');
    await settle();
    expect(h.states().at(-1)).toBe('RUNNING');
    expect(h.controller.calls.filter((c) => c === 'wait')).toHaveLength(1); // the exit wait was kept
    await h.runner.close();
  });

  it('a container removed behind the runner\'s back fails the task', async () => {
    const h = healthHarness();
    const realHealthChange = h.controller.healthChange.bind(h.controller);
    h.controller.healthChange = () => Promise.reject(new NotFoundError('No such container: web.1.task1'));
    h.runner.start();
    await settle();
    expect(h.states().at(-1)).toBe('FAILED');
    expect(h.reported.at(-1)!.err).toContain('No such container');
    h.controller.healthChange = realHealthChange;
    await h.runner.close();
  });
});
