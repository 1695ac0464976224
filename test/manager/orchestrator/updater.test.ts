import { describe, expect, it } from 'vitest';
import { seededRand } from '@shoal/api';
import type { Node, Service, Task, TaskState, UpdateConfig } from '@shoal/api';
import { planUpdate, reconcileReplicated, withNewSpec } from '../../../packages/manager/src/orchestrator/index.js';
import { makeNode, makeService, makeTask } from '../scheduler/fixtures.js';
import { summary } from './summary.js';

const T0 = 1_700_000_000_000;
const SEC = 1000;
const nodes = new Map<string, Node>([['a', makeNode({ id: 'a' })], ['b', makeNode({ id: 'b' })], ['gone', makeNode({ id: 'gone', state: 'down' })]]);

/** A 6-replica service on image v1, updated at T0 to image v2 with the given rollout settings. */
function updated(update: Partial<UpdateConfig> = {}, replicas = 6): { before: Service; after: Service } {
  const before = makeService({ replicas, image: 'app:v1', update });
  const next = structuredClone(before.spec);
  next.task.container.image = 'app:v2';
  return { before, after: withNewSpec(before, next, T0) };
}

interface TaskAt { slot: number; state?: TaskState; desired?: TaskState; createdAt?: number; startedAt?: number; timestamp?: number; nodeId?: string; id?: string }

/** Tasks of `spec` (the service object they were made from) in the given slots. */
function tasksOf(service: Service, prefix: string, list: TaskAt[]): Task[] {
  return list.map((o) => makeTask({
    id: o.id ?? `${prefix}${o.slot}`, service, slot: o.slot, nodeId: o.nodeId ?? 'a', state: o.state ?? 'RUNNING', desired: o.desired ?? 'RUNNING',
    createdAt: o.createdAt ?? T0 - 60 * SEC, timestamp: o.timestamp ?? o.startedAt ?? T0 - 60 * SEC,
    startedAt: o.startedAt ?? ((o.state ?? 'RUNNING') === 'RUNNING' ? T0 - 60 * SEC : 0),
  })).map((t) => ({ ...t, serviceId: service.id }));
}

const slots = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ slot: from + i }));
const plan = (service: Service, tasks: Task[], now = T0) => planUpdate(service, tasks, nodes, now, seededRand(7));

describe('planUpdate', () => {
  it('does nothing for a service that is not rolling out', () => {
    const { before } = updated();
    expect(plan(before, tasksOf(before, 'o', slots(6)))).toEqual({ actions: [] });
  });

  it('stop-first: replaces `parallelism` slots, lowest first: the old task stops, the new one waits desired READY', () => {
    const { before, after } = updated({ parallelism: 2 });
    expect(summary(plan(after, tasksOf(before, 'o', slots(6))).actions)).toEqual([
      'update o1 SHUTDOWN', 'create slot 1 READY', 'update o2 SHUTDOWN', 'create slot 2 READY',
    ]);
  });

  it('stop-first: a slot whose old task has already ended gets a new task running at once', () => {
    const { before, after } = updated({ parallelism: 1 });
    const old = tasksOf(before, 'o', [{ slot: 1, state: 'FAILED' }, ...slots(5, 2)]);
    expect(summary(plan(after, old).actions)).toEqual(['update o1 SHUTDOWN', 'create slot 1 RUNNING']);
  });

  it('start-first: the new task starts next to the old one, which stops once the new one runs', () => {
    const { before, after } = updated({ parallelism: 2, order: 'start-first' });
    const old = tasksOf(before, 'o', slots(6));
    expect(summary(plan(after, old).actions)).toEqual(['create slot 1 RUNNING', 'create slot 2 RUNNING']);
    const starting = tasksOf(after, 'n', [{ slot: 1, state: 'STARTING', createdAt: T0 }, { slot: 2, state: 'RUNNING', createdAt: T0, startedAt: T0 + SEC }]);
    expect(summary(plan(after, [...old, ...starting], T0 + SEC).actions)).toEqual(['update o2 SHUTDOWN', 'create slot 3 RUNNING']);
  });

  it('parallelism 0 replaces every slot at once', () => {
    const { before, after } = updated({ parallelism: 0 });
    expect(plan(after, tasksOf(before, 'o', slots(6))).actions.filter((a) => a.kind === 'create')).toHaveLength(6);
  });

  it('never has more than `parallelism` slots in flight: a second pass over the same store changes nothing', () => {
    const { before, after } = updated({ parallelism: 2 });
    const old = tasksOf(before, 'o', slots(6));
    const stopping = old.map((t) => (t.slot <= 2 ? { ...t, desiredState: 'SHUTDOWN' as const } : t));
    const fresh = tasksOf(after, 'n', [{ slot: 1, state: 'READY', desired: 'READY', createdAt: T0 }, { slot: 2, state: 'PENDING', desired: 'READY', createdAt: T0 }]);
    // The same inputs give the same plan: a new leader reading this store does not double the batch.
    expect(plan(after, [...stopping, ...fresh], T0 + 5 * SEC).actions).toEqual([]);
  });

  it('starts the next slot as soon as one new task runs, and waits `delay` after it when there is one', () => {
    for (const [delayMs, want] of [[0, ['update o3 SHUTDOWN', 'create slot 3 READY']], [10 * SEC, []]] as const) {
      const { before, after } = updated({ parallelism: 2, delayMs });
      const old = tasksOf(before, 'o', slots(6)).map((t) => (t.slot <= 2 ? { ...t, desiredState: 'SHUTDOWN' as const, status: { ...t.status, state: 'SHUTDOWN' as const } } : t));
      const fresh = tasksOf(after, 'n', [{ slot: 1, createdAt: T0, startedAt: T0 + 2 * SEC }, { slot: 2, state: 'STARTING', createdAt: T0 }]);
      const p = plan(after, [...old, ...fresh], T0 + 3 * SEC);
      expect(summary(p.actions)).toEqual(want);
      expect(p.wakeAt).toBe(delayMs ? T0 + 12 * SEC : undefined);
    }
  });

  it('completes once every slot runs the new spec and the last new task has run for the monitor period', () => {
    const { after } = updated({ monitorMs: 5 * SEC });
    const fresh = tasksOf(after, 'n', slots(6).map((s) => ({ ...s, createdAt: T0, startedAt: T0 + s.slot * SEC })));
    const waiting = plan(after, fresh, T0 + 8 * SEC);
    expect(waiting).toEqual({ actions: [], wakeAt: T0 + 11 * SEC });
    const done = plan(after, fresh, T0 + 11 * SEC);
    expect(done.service?.updateStatus).toEqual({ state: 'completed', startedAt: T0, completedAt: T0 + 11 * SEC, message: 'update completed' });
  });

  describe('failures', () => {
    const failing = (update: Partial<UpdateConfig>, failedSlots: number[], endedAfterRunMs?: number) => {
      const { before, after } = updated({ parallelism: 2, monitorMs: 5 * SEC, ...update });
      const old = tasksOf(before, 'o', slots(6)).map((t) => (failedSlots.includes(t.slot) ? { ...t, desiredState: 'SHUTDOWN' as const, status: { ...t.status, state: 'SHUTDOWN' as const } } : t));
      const fresh = tasksOf(after, 'n', failedSlots.map((slot) => ({
        slot, state: 'FAILED' as const, createdAt: T0, timestamp: T0 + 10 * SEC,
        ...(endedAfterRunMs !== undefined ? { startedAt: T0 + 10 * SEC - endedAfterRunMs } : {}),
      })));
      return { before, after, tasks: [...old, ...fresh] };
    };

    it('pause: a new task that fails before running pauses the update, naming it; the old tasks keep running', () => {
      const { after, tasks } = failing({}, [1]);
      const p = plan(after, tasks, T0 + 11 * SEC);
      expect(p.actions).toEqual([]);
      expect(p.service?.updateStatus).toMatchObject({ state: 'paused', message: 'update paused due to failure or early termination of task n1' });
    });

    it('pause: the reason carries what the failed task reported', () => {
      const { after, tasks } = failing({}, [1]);
      const withErr = tasks.map((t) => (t.id === 'n1' ? { ...t, status: { ...t.status, err: 'task: non-zero exit (3)' } } : t));
      expect(plan(after, withErr, T0 + 11 * SEC).service?.updateStatus.message)
        .toBe('update paused due to failure or early termination of task n1: task: non-zero exit (3)');
    });

    it('a task that ends within the monitor period of running counts; one that ran longer does not', () => {
      expect(plan(failing({}, [1], 4 * SEC).after, failing({}, [1], 4 * SEC).tasks, T0 + 11 * SEC).service?.updateStatus.state).toBe('paused');
      const long = failing({}, [1], 6 * SEC);
      expect(plan(long.after, long.tasks, T0 + 11 * SEC).service).toBeUndefined();
    });

    it('rollback: the service returns to its previous spec with the rollback settings', () => {
      const { before, after, tasks } = failing({ failureAction: 'rollback' }, [1]);
      const p = plan(after, tasks, T0 + 11 * SEC);
      expect(p.service?.spec).toEqual(before.spec);
      expect(p.service?.previousSpec).toEqual(after.spec);
      expect(p.service?.updateStatus).toMatchObject({ state: 'rollback_started', startedAt: T0 + 11 * SEC, message: 'update rolled back due to failure or early termination of task n1' });
      // Rolling back, the slot of the failed task runs the old spec again.
      const back = plan(p.service!, tasks, T0 + 11 * SEC);
      expect(summary(back.actions)).toEqual(['update n1 SHUTDOWN', 'create slot 1 RUNNING']);
    });

    it('rollback: a previous spec whose published port another service took meanwhile pauses instead, saying so', () => {
      const { after, tasks } = failing({ failureAction: 'rollback' }, [1]);
      const port = { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' };
      const service = { ...after, previousSpec: { ...after.previousSpec, endpoint: { ports: [port] } } };
      const other = makeService({ id: 'api', ports: [port] });
      const p = planUpdate(service, tasks, nodes, T0 + 11 * SEC, seededRand(7), () => [service, other]);
      expect(p.actions).toEqual([]);
      expect(p.service?.spec).toEqual(after.spec);
      expect(p.service?.updateStatus).toMatchObject({
        state: 'paused',
        message: 'update paused due to failure or early termination of task n1; cannot roll back: published port 8080/tcp is already used by service api (ingress)',
      });
      // Its own port is no conflict.
      expect(planUpdate(service, tasks, nodes, T0 + 11 * SEC, seededRand(7), () => [service]).service?.updateStatus.state).toBe('rollback_started');
    });

    it('continue: failures are ignored', () => {
      const { after, tasks } = failing({ failureAction: 'continue' }, [1, 2]);
      const p = plan(after, tasks, T0 + 11 * SEC);
      expect(p.service).toBeUndefined();
      expect(summary(p.actions)).toEqual(['update o3 SHUTDOWN', 'create slot 3 READY', 'update o4 SHUTDOWN', 'create slot 4 READY']);
    });

    it.each([
      { ratio: 0.5, failed: [1, 2, 3], paused: false },
      { ratio: 0.5, failed: [1, 2, 3, 4], paused: true },
      { ratio: 0, failed: [1], paused: true },
      { ratio: 1, failed: [1, 2, 3, 4, 5, 6], paused: false },
    ])('max failure ratio $ratio with $failed.length of 6 failed: paused $paused', ({ ratio, failed, paused }) => {
      const { after, tasks } = failing({ maxFailureRatio: ratio, parallelism: 0 }, failed);
      expect(plan(after, tasks, T0 + 11 * SEC).service?.updateStatus.state === 'paused').toBe(paused);
    });

    it('a failing rollback pauses as rollback_paused', () => {
      const { after, tasks } = failing({ failureAction: 'rollback' }, [1]);
      const rolling = plan(after, tasks, T0 + 11 * SEC).service!;
      const t2 = tasksOf(rolling, 'r', [{ slot: 1, state: 'REJECTED', createdAt: T0 + 12 * SEC, timestamp: T0 + 13 * SEC }]);
      const p = plan(rolling, [...tasks, ...t2], T0 + 14 * SEC);
      expect(p.service?.updateStatus).toMatchObject({ state: 'rollback_paused', message: 'rollback paused due to failure or early termination of task r1' });
    });

    it('a rollback completes as rollback_completed', () => {
      const { before, after } = updated({});
      const rolling = { ...before, previousSpec: after.spec, updateStatus: { state: 'rollback_started', startedAt: T0, completedAt: 0, message: 'manually requested rollback' } };
      const p = plan(rolling, tasksOf(before, 'o', slots(6)), T0);
      expect(p.service?.updateStatus).toMatchObject({ state: 'rollback_completed', message: 'rollback completed' });
    });
  });

  it('a second update arriving mid-update replaces the tasks of the first one too', () => {
    const { before, after } = updated({ parallelism: 6 });
    const third = structuredClone(after.spec);
    third.task.container.image = 'app:v3';
    const again = withNewSpec(after, third, T0 + 20 * SEC);
    const tasks = [...tasksOf(after, 'n', slots(3).map((s) => ({ ...s, createdAt: T0, startedAt: T0 + SEC }))), ...tasksOf(before, 'o', slots(3, 4))];
    expect(summary(plan(again, tasks, T0 + 20 * SEC).actions).filter((l) => l.startsWith('create'))).toHaveLength(6);
    expect(again.previousSpec.task.container.image).toBe('app:v2');
  });

  it('a task on a down node is not replaced by the updater (the slot reconciler refills it)', () => {
    const { before, after } = updated({ parallelism: 6 });
    const p = plan(after, tasksOf(before, 'o', [{ slot: 1, nodeId: 'gone' }, { slot: 2 }]));
    expect(summary(p.actions)).toEqual(['update o2 SHUTDOWN', 'create slot 2 READY']);
  });

  it('global: each node is a slot, the new task goes to the same node', () => {
    const before = makeService({ mode: 'global', replicas: 0, image: 'app:v1' });
    const next = structuredClone(before.spec);
    next.task.container.image = 'app:v2';
    const after = withNewSpec(before, next, T0);
    const old = [...tasksOf(before, 'oa', [{ slot: 0, nodeId: 'a' }]), ...tasksOf(before, 'ob', [{ slot: 0, nodeId: 'b' }])];
    expect(summary(plan(after, old).actions)).toEqual(['update oa0 SHUTDOWN', 'create slot 0 on a READY']);
  });

  it('a start-first slot keeps both tasks through the replicated reconciler', () => {
    const { before, after } = updated({ order: 'start-first' }, 2);
    const tasks = [...tasksOf(before, 'o', slots(2)), ...tasksOf(after, 'n', [{ slot: 1, state: 'STARTING', createdAt: T0 }])];
    expect(reconcileReplicated(after, tasks, nodes, T0, seededRand(1))).toEqual([]);
    // Without a rollout under way the slot keeps one task: the running one.
    const done = { ...after, updateStatus: { ...after.updateStatus, state: 'paused' } };
    expect(summary(reconcileReplicated(done, tasks, nodes, T0, seededRand(1)))).toEqual(['update n1 SHUTDOWN']);
  });
});

describe('withNewSpec', () => {
  it('starts a rollout only when the tasks change, and keeps the previous spec', () => {
    const { before, after } = updated();
    expect(after.updateStatus).toEqual({ state: 'updating', startedAt: T0, completedAt: 0, message: 'update in progress' });
    expect(after.previousSpec).toEqual(before.spec);
    const scaled = withNewSpec(before, { ...before.spec, replicas: 9 }, T0);
    expect(scaled.updateStatus).toEqual(before.updateStatus);
  });

  it('a new spec on a paused service resumes the rollout', () => {
    const { after } = updated();
    const paused = { ...after, updateStatus: { ...after.updateStatus, state: 'paused' } };
    const fixed = structuredClone(after.spec);
    fixed.task.container.image = 'app:v3';
    expect(withNewSpec(paused, fixed, T0 + SEC).updateStatus.state).toBe('updating');
  });
});
