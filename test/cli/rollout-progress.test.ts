import { describe, expect, it } from 'vitest';
import type { Service, Task } from '@shoal/api';
import { captureOutput } from '../../packages/cli/src/output.js';
import { lineText, progressBar } from '../../packages/cli/src/progress/render.js';
import { isRollingOut, isUpToDate, monitorPeriod, renderRollout, watchRollout } from '../../packages/cli/src/progress/rollout.js';
import type { Snapshot } from '../../packages/cli/src/progress/watch.js';
import { NOW, node, service, task } from './fixtures.js';

const FULL = progressBar('RUNNING');
const active = new Set(['n1', 'n2']);
const nodes = [node({ id: 'n1' }), node({ id: 'n2' })];
const V1 = 'shoal-demo:1';
const V2 = 'shoal-demo:2';

/** Slot s with an old task (v1) shut down or running, and maybe its new task (v2) in the given state. */
function slotTasks(slot: number, newState: Task['status']['state'] | undefined, oldImage = V1, newImage = V2): Task[] {
  const old = task({ id: `old${slot}`, slot, node: 'n1', image: oldImage, state: newState ? 'SHUTDOWN' : 'RUNNING', desired: newState ? 'SHUTDOWN' : 'RUNNING' });
  return newState ? [old, task({ id: `new${slot}`, slot, node: 'n2', image: newImage, state: newState })] : [old];
}

describe('renderRollout', () => {
  it('counts only tasks that run the new spec', () => {
    const svc = service({ replicas: 4, image: V2, state: 'updating' });
    const tasks = [...slotTasks(1, 'RUNNING'), ...slotTasks(2, 'PREPARING'), ...slotTasks(3, undefined), ...slotTasks(4, undefined)];
    const view = renderRollout({ service: svc, tasks, activeNodes: active, rollback: false });
    expect(view.lines.map(lineText)).toEqual([
      'overall progress: 1 out of 4 tasks',
      `1/4: running   ${FULL}`,
      `2/4: preparing ${progressBar('PREPARING')}`,
      '3/4:',
      '4/4:',
    ]);
    expect(view.converged).toBe(false);
  });

  it('says a rollback is rolling back, counting the tasks of the spec returned to', () => {
    const svc = service({ replicas: 2, image: V1, state: 'rollback_started' });
    const tasks = [...slotTasks(1, 'RUNNING', V2, V1), ...slotTasks(2, undefined, V2, V1)];
    expect(renderRollout({ service: svc, tasks, activeNodes: active, rollback: true }).lines.map(lineText)).toEqual([
      'overall progress: rolling back update: 1 out of 2 tasks', `1/2: running   ${FULL}`, '2/2:',
    ]);
  });

  it('leaves out the tasks that ended before the rollout began (a rollback\'s spec ran in them once)', () => {
    const svc = service({ replicas: 1, image: V1, state: 'rollback_started' }); // started at NOW - 10 s
    const tasks = [
      task({ id: 'orig', slot: 1, node: 'n1', image: V1, state: 'SHUTDOWN', desired: 'SHUTDOWN', createdAt: svc.updateStatus.startedAt - 60_000 }),
      task({ id: 'new', slot: 1, node: 'n1', image: V2, state: 'RUNNING' }),
    ];
    expect(renderRollout({ service: svc, tasks, activeNodes: active, rollback: true }).lines.map(lineText))
      .toEqual(['overall progress: rolling back update: 0 out of 1 tasks', '1/1:']);
  });

  it('counts every node of a global service, not only those with a new task yet', () => {
    const svc = service({ mode: 'global', image: V2, state: 'updating' });
    const tasks = [
      task({ id: 'a2', slot: 0, node: 'n1', image: V2, state: 'RUNNING', createdAt: NOW }),
      task({ id: 'a1', slot: 0, node: 'n1', image: V1, state: 'SHUTDOWN', desired: 'SHUTDOWN', createdAt: NOW }),
      task({ id: 'b1', slot: 0, node: 'n2', image: V1, state: 'RUNNING', createdAt: NOW }),
    ];
    const view = renderRollout({ service: svc, tasks, activeNodes: active, rollback: false });
    expect(view.lines.map(lineText)).toEqual(['overall progress: 1 out of 2 tasks', `n1: running   ${FULL}`, 'n2:']);
    expect(view.converged).toBe(false);
  });

  it('shows the error of a new task that failed', () => {
    const svc = service({ replicas: 1, image: V2, state: 'updating' });
    const tasks = [task({ slot: 1, node: 'n1', image: V2, state: 'FAILED', desired: 'SHUTDOWN', err: 'task: non-zero exit (1)', createdAt: NOW })];
    expect(renderRollout({ service: svc, tasks, activeNodes: active, rollback: false }).lines.map(lineText))
      .toEqual(['overall progress: 0 out of 1 tasks', '1/1: task: non-zero exit (1)']);
  });

  it('tells up-to-date tasks by spec and endpoint', () => {
    const svc = service({ image: V2, ports: [{ publishedPort: 8080, targetPort: 80 }] });
    const t = task({ image: V2 });
    expect(isUpToDate(t, svc)).toBe(false); // the endpoint differs
    t.endpoint = structuredClone(svc.spec.endpoint);
    expect(isUpToDate(t, svc)).toBe(true);
    t.spec.forceUpdate = 1;
    expect(isUpToDate(t, svc)).toBe(false);
  });

  it('knows rollouts under way and the monitor period in force', () => {
    expect(isRollingOut(service({ state: 'updating' }))).toBe(true);
    expect(isRollingOut(service({ state: 'rollback_started' }))).toBe(true);
    expect(isRollingOut(service({ state: 'paused' }))).toBe(false);
    expect(isRollingOut(service({ state: 'completed' }))).toBe(false);
    expect(isRollingOut(service())).toBe(false);
    const svc = service({ update: { monitorMs: 2000 }, rollback: { monitorMs: 7000 } });
    expect(monitorPeriod(svc, false)).toBe(2000);
    expect(monitorPeriod(svc, true)).toBe(7000);
    expect(monitorPeriod(service({ update: { monitorMs: 0 } }), false)).toBe(5000);
  });
});

describe('watchRollout', () => {
  /** Drives the loop on a fake clock (each poll advances time by the sleep); the scenario answers each poll. */
  function harness(kind: 'update' | 'rollback', scenario: (now: number) => { service: Service; tasks: Task[] }, interruptAt = Infinity) {
    let now = 0;
    const out = captureOutput(false);
    const run = watchRollout({
      out, kind, name: 'web',
      now: () => now,
      sleep: async (ms) => { now += ms; },
      interrupted: () => now >= interruptAt,
      fetch: async (): Promise<Snapshot> => ({ ...scenario(now), nodes }),
    });
    return { out, run };
  }

  it('follows an update to the end: progress, the verify wait of the update monitor, converged', async () => {
    const { out, run } = harness('update', (now) => ({
      service: service({ replicas: 2, image: V2, state: now < 4000 ? 'updating' : 'completed', update: { monitorMs: 3000 } }),
      tasks: [...slotTasks(1, now < 250 ? undefined : 'RUNNING'), ...slotTasks(2, now < 750 ? undefined : now < 1000 ? 'STARTING' : 'RUNNING')],
    }));
    expect(await run).toBe(true);
    expect(out.stdout.slice(0, 3)).toEqual(['overall progress: 0 out of 2 tasks', '1/2:', '2/2:']);
    expect(out.stdout).toContain('overall progress: 1 out of 2 tasks');
    expect(out.stdout).toContain(`2/2: starting  ${progressBar('STARTING')}`);
    expect(out.stdout).toContain('overall progress: 2 out of 2 tasks');
    expect(out.stdout).toContain('verify: Waiting 3 seconds to verify that tasks are stable...');
    expect(out.stdout.at(-1)).toBe('verify: Service converged');
    expect(out.stdout.some((l) => l.startsWith('rollback'))).toBe(false);
  });

  it('fails with the manager\'s message when the update pauses', async () => {
    const message = 'update paused due to failure or early termination of task new1';
    const { out, run } = harness('update', (now) => ({
      service: service({ replicas: 1, image: V2, state: now < 1000 ? 'updating' : 'paused', message: now < 1000 ? 'update in progress' : message }),
      tasks: [task({ slot: 1, node: 'n1', image: V2, createdAt: NOW, state: now < 500 ? 'STARTING' : 'FAILED', desired: now < 500 ? 'RUNNING' : 'SHUTDOWN', err: now < 500 ? '' : 'task: non-zero exit (1)' })],
    }));
    await expect(run).rejects.toThrow(`service update paused: ${message}`);
    expect(out.stdout).toContain('1/1: task: non-zero exit (1)');
  });

  it('follows a rollback the manager starts by itself to its end, then fails with its reason', async () => {
    const reason = 'update rolled back due to failure or early termination of task new1';
    const { out, run } = harness('update', (now) => {
      if (now < 1000) {
        return { service: service({ replicas: 1, image: V2, state: 'updating' }), tasks: [task({ slot: 1, node: 'n1', image: V2, state: 'STARTING' })] };
      }
      return {
        // The specs swapped: the service now names v1 again.
        service: service({ replicas: 1, image: V1, state: now < 8000 ? 'rollback_started' : 'rollback_completed', message: now < 8000 ? reason : 'rollback completed', rollback: { monitorMs: 2000 } }),
        tasks: [
          task({ id: 'new1', slot: 1, node: 'n1', image: V2, state: 'FAILED', desired: 'SHUTDOWN', err: 'task: non-zero exit (1)' }),
          task({ id: 'back1', slot: 1, node: 'n2', image: V1, state: now < 2000 ? 'STARTING' : 'RUNNING' }),
        ],
      };
    });
    await expect(run).rejects.toThrow(`service rolled back: ${reason}`);
    expect(out.stdout).toContain(`rollback: ${reason}`);
    expect(out.stdout).toContain('overall progress: rolling back update: 1 out of 1 tasks');
    expect(out.stdout).toContain('verify: Waiting 2 seconds to verify that tasks are stable...');
    expect(out.stdout.at(-1)).toBe('verify: Service converged');
  });

  it('follows a requested rollback: its message first, then progress with the rollback monitor', async () => {
    const { out, run } = harness('rollback', (now) => ({
      service: service({
        replicas: 2, image: V1, state: now < 1000 ? 'rollback_started' : 'rollback_completed',
        message: now < 1000 ? 'manually requested rollback' : 'rollback completed', rollback: { monitorMs: 1000 },
      }),
      tasks: [...slotTasks(1, now < 500 ? undefined : 'RUNNING', V2, V1), ...slotTasks(2, now < 500 ? undefined : 'RUNNING', V2, V1)],
    }));
    expect(await run).toBe(true);
    expect(out.stdout.slice(0, 4)).toEqual([
      'rollback: manually requested rollback', 'overall progress: rolling back update: 0 out of 2 tasks', '1/2:', '2/2:',
    ]);
    expect(out.stdout).toContain('overall progress: rolling back update: 2 out of 2 tasks');
    expect(out.stdout).toContain('verify: Waiting 1 seconds to verify that tasks are stable...');
    expect(out.stdout.slice(-2)).toEqual(['verify: Service converged', 'rollback: rollback completed']);
  });

  it('fails when a rollback pauses', async () => {
    const { run } = harness('rollback', () => ({
      service: service({ replicas: 1, image: V1, state: 'rollback_paused', message: 'rollback paused due to failure or early termination of task x' }),
      tasks: [],
    }));
    await expect(run).rejects.toThrow('service rollback paused: rollback paused due to failure or early termination of task x');
  });

  it('ends when the manager says the update completed before a poll saw every task run', async () => {
    const { run } = harness('update', () => ({ service: service({ replicas: 1, image: V2, state: 'completed' }), tasks: [] }));
    expect(await run).toBe(true);
  });

  it('stops watching when interrupted', async () => {
    const { run } = harness('update', () => ({ service: service({ replicas: 1, image: V2, state: 'updating' }), tasks: [] }), 1000);
    expect(await run).toBe(false);
  });
});
