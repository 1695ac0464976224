import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock, type Task, type TaskStatus } from '@shoal/api';
import type { Executor } from '../../packages/agent/src/exec/executor.js';
import { AgentStore } from '../../packages/agent/src/store.js';
import { Worker } from '../../packages/agent/src/worker.js';
import { deferred, FakeController } from './fake-controller.js';
import { Cleanups, makeTask, silentLogger, status } from './helpers.js';

/** Containers in memory, one FakeController per task. */
class FakeExecutor implements Executor {
  readonly controllers = new Map<string, FakeController>();
  readonly orphanSweeps: string[][] = [];

  controller(task: Task): FakeController {
    const c = new FakeController();
    this.controllers.set(task.id, c);
    return c;
  }

  async removeOrphans(assigned: () => ReadonlySet<string>): Promise<void> {
    this.orphanSweeps.push([...assigned()].sort());
  }

  async logs(): Promise<void> {}
}

describe('worker', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function worker(): Promise<{ worker: Worker; executor: FakeExecutor; last: (taskId: string) => TaskStatus | undefined }> {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-worker-'));
    cleanups.add(() => rm(dir, { recursive: true, force: true }));
    const store = await AgentStore.open(dir, silentLogger);
    cleanups.add(() => store.close());
    const executor = new FakeExecutor();
    const reported = new Map<string, TaskStatus>();
    const w = new Worker({
      store, executor, clock: new FakeClock(), logger: silentLogger,
      report: (taskId, s) => reported.set(taskId, s),
      awaitEngine: () => new Promise(() => undefined),
    });
    cleanups.add(() => w.stop());
    await w.start();
    return { worker: w, executor, last: (taskId) => reported.get(taskId) };
  }

  it('keeps its tasks running through a leader change: the new leader\'s full set of the same tasks starts and stops nothing', async () => {
    const { worker: w, executor, last } = await worker();
    const tasks = [makeTask({ id: 'task1' }), makeTask({ id: 'task2', slot: 2 })];
    await w.apply({ full: true, tasks, removed: [] });
    await vi.waitFor(() => expect(tasks.map((t) => last(t.id)?.state)).toEqual(['RUNNING', 'RUNNING']));
    const callsBefore = tasks.map((t) => [...executor.controllers.get(t.id)!.calls]);

    // The session to the old leader is lost; the agent registers with the new one, which sends the full set from
    // its replica of the store: the same tasks, one with a status older than the agent's (a batch lost on the way).
    const fromNewLeader = [
      { ...tasks[0]!, meta: { ...tasks[0]!.meta, version: 7 }, status: status('STARTING') },
      { ...tasks[1]!, meta: { ...tasks[1]!.meta, version: 8 }, status: status('RUNNING') },
    ];
    await w.apply({ full: true, tasks: fromNewLeader, removed: [] });
    await vi.waitFor(() => expect(executor.orphanSweeps).toHaveLength(2));

    expect(executor.controllers.size).toBe(2); // no new runner, so no new container
    for (const [i, t] of tasks.entries()) {
      const calls = executor.controllers.get(t.id)!.calls.slice(callsBefore[i]!.length);
      expect(calls.filter((c) => c !== 'wait')).toEqual([]); // no prepare, start, shutdown or remove
      expect(last(t.id)?.state).toBe('RUNNING');
    }
    expect(w.statuses().map((u) => u.status.state)).toEqual(['RUNNING', 'RUNNING']);
    expect(executor.orphanSweeps.at(-1)).toEqual(['task1', 'task2']);
  });

  describe('a stop-first hand-off on this node', () => {
    // The manager lets the replacement (by default of the same service and slot, desired RUNNING) start while its
    // predecessor on this node stops; the agent holds the start.
    async function handOff(oldChange: 'stop' | 'remove' | 'none', replacement = makeTask({ id: 'new' })) {
      const h = await worker();
      const old = makeTask({ id: 'old' });
      await h.worker.apply({ full: true, tasks: [old], removed: [] });
      await vi.waitFor(() => expect(h.last('old')?.state).toBe('RUNNING'));
      const gate = deferred<void>();
      h.executor.controllers.get('old')!.shutdownGate = gate;
      cleanups.add(async () => gate.resolve()); // before the worker stops: its runners' stops must end
      const tasks = [replacement, ...(oldChange === 'stop' ? [{ ...old, desiredState: 'SHUTDOWN' as const }] : [])];
      await h.worker.apply({ full: false, tasks, removed: oldChange === 'remove' ? ['old'] : [] });
      return { ...h, gate, calls: () => h.executor.controllers.get('new')?.calls ?? [] };
    }

    it.each(['stop', 'remove'] as const)('holds the replacement\'s start until the old task (%s) has stopped, then starts it at once', async (change) => {
      const { gate, calls, last, executor } = await handOff(change);
      await vi.waitFor(() => expect(last('new')?.state).toBe('READY'));
      await vi.waitFor(() => expect(executor.controllers.get('old')!.calls).toContain('shutdown(10000)'));
      expect(calls()).not.toContain('start');
      gate.resolve();
      await vi.waitFor(() => expect(last('new')?.state).toBe('RUNNING'));
      expect(calls()).toContain('start');
    });

    it('does not hold a start-first replacement: the old task, still desired running, is not stopping', async () => {
      const { calls, last } = await handOff('none');
      await vi.waitFor(() => expect(last('new')?.state).toBe('RUNNING'));
      expect(calls()).toContain('start');
      expect(last('old')?.state).toBe('RUNNING');
    });

    it('does not hold a task of another slot', async () => {
      const { last } = await handOff('stop', makeTask({ id: 'new', slot: 2 }));
      await vi.waitFor(() => expect(last('new')?.state).toBe('RUNNING'));
      expect(last('old')?.state).toBe('RUNNING'); // still stopping
    });
  });
});
