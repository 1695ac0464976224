import { stateOrder, UnavailableError, type Assignments, type Clock, type Logger, type Task, type TaskStatus, type TaskStatusUpdate } from '@shoal/api';
import type { Executor } from './exec/executor.js';
import { TaskRunner } from './exec/runner.js';
import type { AgentStore } from './store.js';

export interface WorkerOptions {
  store: AgentStore;
  executor: Executor;
  clock: Clock;
  logger: Logger;
  /** Every status change of every task, in order per task. */
  report(taskId: string, status: TaskStatus): void;
  /** Called when the engine could not be reached; resolves once it answers again. */
  awaitEngine(cause: UnavailableError): Promise<void>;
}

/**
 * The node's assigned tasks, one runner each. The set is kept in the agent's store, so a restarted agent
 * resumes its tasks (and adopts their containers) before the manager answers.
 */
export class Worker {
  private readonly runners = new Map<string, TaskRunner>();
  /** Runners of removed tasks, still stopping and removing their containers. */
  private readonly leaving = new Set<TaskRunner>();
  /** Runners (assigned or leaving) by slot: a hand-off looks at its slot only, not at every task of the node. */
  private readonly bySlot = new Map<string, Set<TaskRunner>>();
  /** Changes are applied one at a time, in the order they arrived. */
  private queue: Promise<void> = Promise.resolve();
  /** Orphan sweeps run one at a time, off the queue (stopping a container may take its whole grace period). */
  private sweeping: Promise<void> = Promise.resolve();
  private fullSetSeen = false;
  private stopped = false;

  constructor(private readonly opts: WorkerOptions) {}

  /** Resumes the stored tasks. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      for (const entry of await this.opts.store.tasks()) this.startRunner(entry.task, entry.status);
      if (this.runners.size) this.opts.logger.info({ tasks: this.runners.size }, 'resumed stored tasks');
    });
  }

  /** Applies a full set or a change from the manager. */
  apply(assignments: Assignments): Promise<void> {
    return this.enqueue(async () => {
      const writes: Promise<void>[] = [];
      if (assignments.full) {
        const assigned = new Set(assignments.tasks.map((t) => t.id));
        for (const id of [...this.runners.keys()]) if (!assigned.has(id)) writes.push(this.removeTask(id));
      }
      for (const id of assignments.removed) writes.push(this.removeTask(id));
      for (const task of assignments.tasks) writes.push(this.upsert(task));
      await Promise.all(writes);
      if (assignments.full) {
        this.fullSetSeen = true;
        this.sweep();
      }
    });
  }

  /** The engine answers again after an outage: runners resume by themselves; containers of removed tasks go now. */
  engineRecovered(): void {
    if (this.fullSetSeen) this.sweep();
  }

  /** The current status of every assigned task, re-sent after each registration. */
  statuses(): TaskStatusUpdate[] {
    return [...this.runners].map(([taskId, runner]) => ({ taskId, status: runner.current().status }));
  }

  task(taskId: string): Task | undefined {
    return this.runners.get(taskId)?.current().task;
  }

  /** Ends every runner; containers keep running for the next agent to adopt. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
    await Promise.all([...this.runners.values(), ...this.leaving].map((r) => r.close()));
    await this.sweeping;
  }

  private upsert(task: Task): Promise<void> {
    const runner = this.runners.get(task.id);
    if (!runner) return this.startRunner(task, undefined);
    runner.update(task);
    return this.opts.store.putTask({ task, status: runner.current().status });
  }

  private startRunner(task: Task, known: TaskStatus | undefined): Promise<void> {
    const status = furthest(known, task.status);
    const runner: TaskRunner = new TaskRunner({
      task,
      status,
      controller: this.opts.executor.controller(task),
      clock: this.opts.clock,
      logger: this.opts.logger,
      awaitEngine: this.opts.awaitEngine,
      mayStart: () => !this.stoppingInSlot(runner),
      stopped: () => this.recheckSlot(runner),
      report: (next) => {
        if (this.runners.get(task.id) !== runner) return; // removed meanwhile: the manager has forgotten it
        void this.opts.store.putTask({ task: runner.current().task, status: next });
        this.opts.report(task.id, next);
      },
    });
    this.runners.set(task.id, runner);
    const key = slotOf(task);
    let inSlot = this.bySlot.get(key);
    if (!inSlot) this.bySlot.set(key, inSlot = new Set());
    inSlot.add(runner);
    const stored = this.opts.store.putTask({ task, status }); // before the runner's first report
    runner.start();
    return stored;
  }

  private removeTask(taskId: string): Promise<void> {
    const runner = this.runners.get(taskId);
    if (!runner) return Promise.resolve();
    this.runners.delete(taskId);
    this.leaving.add(runner);
    void runner.remove().finally(() => {
      this.leaving.delete(runner);
      const key = slotOf(runner.current().task);
      const inSlot = this.bySlot.get(key);
      inSlot?.delete(runner);
      if (inSlot?.size === 0) this.bySlot.delete(key);
      this.recheckSlot(runner);
    });
    return this.opts.store.deleteTask(taskId);
  }

  /**
   * Whether another task of the runner's slot is being stopped here (asked to stop, or removed) and has not ended:
   * the manager lets a stop-first replacement start while its predecessor on the same node stops, and the agent
   * holds the start until then.
   */
  private stoppingInSlot(runner: TaskRunner): boolean {
    for (const r of this.bySlot.get(slotOf(runner.current().task)) ?? []) {
      if (r === runner || r.hasStopped()) continue;
      if (this.leaving.has(r) || stateOrder(r.current().task.desiredState) >= SHUTDOWN) return true;
    }
    return false;
  }

  /** A task of the runner's slot stopped or went: the others of the slot may start now. */
  private recheckSlot(runner: TaskRunner): void {
    for (const r of this.bySlot.get(slotOf(runner.current().task)) ?? []) if (r !== runner) r.recheck();
  }

  private sweep(): void {
    this.sweeping = this.sweeping
      .then(() => (this.stopped ? undefined : this.opts.executor.removeOrphans(() => new Set(this.runners.keys()))))
      .catch((err: unknown) => {
        // Retried when the engine comes back (engineRecovered) or with the next full set.
        this.opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not remove orphaned containers');
      });
  }

  /** Resolves when op has run; its failure is logged, never thrown (the next full set repairs the state). */
  private enqueue(op: () => Promise<void>): Promise<void> {
    this.queue = this.queue
      .then(() => (this.stopped ? undefined : op()))
      .catch((err: unknown) => {
        this.opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'applying assignments failed');
      });
    return this.queue;
  }
}

const SHUTDOWN = stateOrder('SHUTDOWN');

/** A replicated task's slot, or a global task's service (its slot on this node). */
function slotOf(task: Task): string {
  return `${task.serviceId}/${task.slot}`;
}

/** The status further along the ladder; the manager's copy of a new task may be all there is. */
function furthest(stored: TaskStatus | undefined, fromManager: TaskStatus | undefined): TaskStatus {
  const candidates = [stored, fromManager].filter((s): s is TaskStatus => !!s?.state);
  const best = candidates.reduce<TaskStatus | undefined>((a, b) => (!a || stateOrder(b.state) > stateOrder(a.state) ? b : a), undefined);
  return {
    timestamp: best?.timestamp ?? 0,
    state: best?.state ?? 'ASSIGNED',
    message: best?.message ?? '',
    err: best?.err ?? '',
    container: best?.container ?? { containerId: '', pid: 0, exitCode: 0, startedAt: 0 },
    ports: best?.ports ?? [],
    health: best?.health ?? '',
  };
}
