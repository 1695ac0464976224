import { isTerminal, stateOrder, UnavailableError, type Clock, type Logger, type Task, type TaskState, type TaskStatus } from '@shoal/api';
import type { ContainerState, Controller, HealthStatus } from './controller.js';

const DEFAULT_STOP_GRACE_MS = 10_000;
/** Before a task the routing mesh forwards to is stopped: about one table round trip, for every mesh to drop it. */
export const MESH_SETTLE_MS = 200;
/** How often a stopping task's open connections are counted while it drains. */
export const DRAIN_POLL_MS = 100;
/** The task error of a container stopped for failing its health check, as swarm words it. */
export const UNHEALTHY_ERR = 'unhealthy container';

/** How long a task's container gets between SIGTERM and SIGKILL (swarm's default: 10 s). */
export function stopGraceMs(task: Task): number {
  return task.spec?.container?.stopGracePeriodMs || DEFAULT_STOP_GRACE_MS;
}

export interface TaskRunnerOptions {
  task: Task;
  /** The furthest status known for the task (the agent's stored one or the manager's). */
  status: TaskStatus;
  controller: Controller;
  clock: Clock;
  logger: Logger;
  /** Receives every transition, in order. */
  report(status: TaskStatus): void;
  /** Called when the engine could not be reached; resolves once it answers again. */
  awaitEngine(cause: UnavailableError): Promise<void>;
  /**
   * False while a task this one replaces is still stopping on this node (a stop-first hand-off): the start waits
   * for it; the owner calls recheck() when that changes.
   */
  mayStart(): boolean;
  /** The task's container no longer runs (its stop returned, or the task ended): a start waiting on it may go. */
  stopped(): void;
}

type Next = 'continue' | 'idle' | 'done';

type StatusPatch = Partial<Pick<TaskStatus, 'err' | 'container' | 'ports' | 'health'>>;

/** What ended a wait on the started container. */
type Watched = { kind: 'exit'; code: number } | { kind: 'health'; health: HealthStatus } | { kind: 'changed' };

/**
 * Drives one task through the forward-only ladder ACCEPTED -> PREPARING -> READY -> STARTING -> RUNNING ->
 * COMPLETE | FAILED | SHUTDOWN | REJECTED. A task is one attempt: the runner never restarts a container.
 * It may start at any rung (an agent restarted under a running container resumes watching it).
 *
 * A container with a health check (the image's or the spec's) stays STARTING, health 'starting', until its first
 * healthy result, and only then is RUNNING; unhealthy at any time, it is stopped and the task FAILED
 * ('unhealthy container'). The engine reports health changes; the runner keeps one pending wait on them.
 */
export class TaskRunner {
  private task: Task;
  private status: TaskStatus;
  private readonly controller: Controller;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private removing = false;
  /** The container's stop call returned: it no longer runs, though the task's status may not say so yet. */
  private containerStopped = false;
  private resumed = false;
  /** The pending wait on the running container, kept across steps so a desired-state change can interrupt it. */
  private exit: Promise<number> | undefined;
  /** The pending wait for a health change from `known`, kept across steps like exit; aborted once moot. */
  private healthWait: { known: HealthStatus; result: Promise<HealthStatus>; abort: AbortController } | undefined;
  /** Wake-ups: a change bumps generation; a step records the generation it has seen. */
  private generation = 0;
  private seen = 0;
  private waiters: (() => void)[] = [];
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly opts: TaskRunnerOptions) {
    this.task = opts.task;
    this.status = opts.status;
    this.controller = opts.controller;
    this.clock = opts.clock;
    this.logger = opts.logger.child({ taskId: opts.task.id });
  }

  start(): void {
    this.loop = this.run();
  }

  current(): { task: Task; status: TaskStatus } {
    return { task: this.task, status: this.status };
  }

  /** A new version of the task from the manager: only its desired state matters (tasks are immutable). */
  update(task: Task): void {
    this.task = task;
    this.wake();
  }

  /** Whether the task's container is known not to run: its stop returned, or the task ended. */
  hasStopped(): boolean {
    return this.containerStopped || isTerminal(this.status.state);
  }

  /** Something the start waits for may have changed (see mayStart). */
  recheck(): void {
    this.wake();
  }

  /** The task is no longer assigned: stop its container if it still runs, remove it, end the runner. */
  remove(): Promise<void> {
    this.removing = true;
    this.wake();
    return this.loop;
  }

  /** Ends the runner and leaves the container as it is: a restarted agent adopts it. */
  async close(): Promise<void> {
    this.abort.abort();
    this.stopHealthWait();
    this.wake();
    await this.loop;
  }

  private get closed(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      let next: Next;
      try {
        next = await this.step();
      } catch (err) {
        if (this.closed) return;
        if (err instanceof UnavailableError) {
          this.logger.warn({ err: err.message }, 'engine unreachable; task waits for it');
          await Promise.race([this.opts.awaitEngine(err), this.closing()]);
          continue;
        }
        this.fail(err);
        continue;
      }
      if (next === 'done') return;
      if (next === 'idle') await this.changed();
    }
  }

  private async step(): Promise<Next> {
    this.seen = this.generation;
    if (this.removing) return this.removeContainer();
    const state = this.status.state;
    if (isTerminal(state)) return 'idle'; // the exited container is kept until the task is removed
    if (stateOrder(this.task.desiredState) >= stateOrder('SHUTDOWN')) {
      this.stopHealthWait();
      await this.drain();
      if (this.closed) return 'done'; // an agent stopping leaves the container to the next one
      await this.controller.shutdown(this.graceMs());
      this.exit = undefined;
      this.markStopped();
      this.transition('SHUTDOWN', 'shutdown', await this.observed());
      return 'continue';
    }
    if (stateOrder(state) < stateOrder('ACCEPTED')) { // NEW, PENDING, ASSIGNED: acknowledged without the engine
      this.transition('ACCEPTED', 'accepted');
      return 'continue';
    }
    if (!this.resumed) {
      await this.resume();
      this.resumed = true;
      return 'continue';
    }
    switch (state) {
      case 'ACCEPTED':
        this.transition('PREPARING', 'preparing');
        return 'continue';
      case 'PREPARING':
        await this.controller.prepare(this.abort.signal);
        this.transition('READY', 'prepared');
        return 'continue';
      case 'READY':
        if (stateOrder(this.task.desiredState) < stateOrder('RUNNING')) return 'idle'; // a delayed start
        if (!this.opts.mayStart()) return 'idle';
        this.transition('STARTING', 'starting');
        return 'continue';
      case 'STARTING':
        if (this.status.health) return this.watch(); // started, waiting for its first healthy result
        await this.controller.start();
        // A shutdown asked for meanwhile is handled by the next step, without reporting RUNNING.
        if (stateOrder(this.task.desiredState) < stateOrder('SHUTDOWN')) {
          const container = await this.controller.inspect();
          // Running since the engine started it (the same host's clock): a rollout's monitor window starts there.
          await this.started(container, container?.startedAt || this.clock.now());
        }
        return 'continue';
      default: // RUNNING: the only state left below the terminal ones
        return this.watch();
    }
  }

  /** After an agent restart: a container that was started is watched, never started again. */
  private async resume(): Promise<void> {
    if (stateOrder(this.status.state) >= stateOrder('RUNNING')) return;
    const container = await this.controller.inspect();
    if (container?.started) {
      this.logger.info({ containerId: container.containerId }, 'adopted the task\'s container');
      await this.started(container, container.startedAt);
    }
  }

  /**
   * The container was started: RUNNING at once without a health check (startedAt is when, unix ms); with one,
   * STARTING with health 'starting' until watch() sees it healthy.
   */
  private async started(container: ContainerState | undefined, startedAt: number): Promise<void> {
    const health = container?.health ?? '';
    if (health === 'unhealthy') return this.unhealthy();
    if (health === 'starting') {
      const patch = container ? patchFrom(container, 0) : {}; // startedAt stays 0 until RUNNING
      this.transition('STARTING', 'waiting for the container to be healthy', { ...patch, health });
    } else this.transition('RUNNING', 'started', { ...(container ? patchFrom(container, startedAt) : {}), health });
  }

  /** Stops a container that failed its health check (with the task's grace period) and fails the task. */
  private async unhealthy(): Promise<void> {
    this.stopHealthWait();
    this.logger.warn('container unhealthy: stopping it');
    await this.controller.shutdown(this.graceMs());
    this.exit = undefined; // it ends with the stop; the task fails for its health, not for its exit code
    this.transition('FAILED', 'failed', { ...(await this.observed()), err: UNHEALTHY_ERR, health: 'unhealthy' });
  }

  /**
   * Waits for the container to exit, for its health to change (when it has a check), or for the desired state to
   * change; the pending waits survive a desired-state change that does not concern them.
   */
  private async watch(): Promise<Next> {
    if (!this.exit) {
      this.exit = this.controller.wait(this.abort.signal);
      this.exit.catch(() => undefined); // observed below, or dropped when a shutdown overtakes it
    }
    // A wait that breaks (engine gone, container removed) is dropped, to be made again by the next watch.
    const exit = this.exit;
    const waits: Promise<Watched>[] = [
      exit.then((code) => ({ kind: 'exit', code }), (err: unknown) => {
        if (this.exit === exit) this.exit = undefined;
        throw err;
      }),
      this.changed().then(() => ({ kind: 'changed' })),
    ];
    const health = this.pendingHealth();
    if (health) {
      waits.push(health.then((h) => ({ kind: 'health', health: h }), (err: unknown) => {
        if (this.healthWait?.result === health) this.healthWait = undefined;
        throw err;
      }));
    }
    const watched = await Promise.race(waits);
    switch (watched.kind) {
      case 'changed':
        return 'continue';
      case 'health':
        this.healthWait = undefined;
        if (watched.health === 'unhealthy') await this.unhealthy();
        else if (watched.health === 'healthy' && this.status.state === 'STARTING') {
          this.transition('RUNNING', 'started', { container: { ...this.status.container, startedAt: this.clock.now() }, health: 'healthy' });
        } else this.transition(this.status.state, this.status.message, { health: watched.health });
        return 'continue';
      case 'exit': {
        this.exit = undefined;
        const container = { ...this.status.container, pid: 0, exitCode: watched.code };
        if (watched.code === 0) this.transition('COMPLETE', 'finished', { container });
        else this.transition('FAILED', 'failed', { container, err: `task: non-zero exit (${watched.code})` });
        return 'continue';
      }
    }
  }

  /** The wait for the container's next health change, made once per known health; none without a check. */
  private pendingHealth(): Promise<HealthStatus> | undefined {
    const known = asHealth(this.status.health);
    if (!known) return undefined;
    if (this.healthWait?.known !== known) {
      this.stopHealthWait();
      const abort = new AbortController();
      const result = this.controller.healthChange(known, abort.signal);
      result.catch(() => undefined); // observed in watch(), or dropped once aborted
      this.healthWait = { known, result, abort };
    }
    return this.healthWait.result;
  }

  private stopHealthWait(): void {
    this.healthWait?.abort.abort();
    this.healthWait = undefined;
  }

  private async removeContainer(): Promise<Next> {
    this.stopHealthWait();
    try {
      if (!isTerminal(this.status.state)) {
        await this.drain();
        if (this.closed) return 'done';
        await this.controller.shutdown(this.graceMs());
        this.markStopped();
        this.transition('SHUTDOWN', 'shutdown');
      }
      await this.controller.remove();
    } catch (err) {
      if (err instanceof UnavailableError) throw err; // retried once the engine is back
      if (!this.closed) this.logger.error({ err: errorMessage(err) }, 'could not remove the task\'s container');
    }
    return 'done';
  }

  /** An error before STARTING rejects the task; from STARTING on it fails it. */
  private fail(err: unknown): void {
    const message = errorMessage(err);
    this.logger.warn({ err: message, state: this.status.state }, 'task failed');
    if (stateOrder(this.status.state) < stateOrder('STARTING')) this.transition('REJECTED', 'rejected', { err: message });
    else this.transition('FAILED', 'failed', { err: message });
  }

  /**
   * Moves forward only: a state below the current one is never reported, nor the current one again unless its
   * health changed (STARTING: '' -> 'starting' once the container runs with a check).
   */
  private transition(state: TaskState, message: string, patch: StatusPatch = {}): void {
    const order = stateOrder(state) - stateOrder(this.status.state);
    const health = patch.health ?? this.status.health ?? '';
    if (order < 0 || (order === 0 && health === (this.status.health ?? ''))) return;
    if (isTerminal(state)) this.stopHealthWait();
    const ended = isTerminal(state) && !this.hasStopped();
    this.status = {
      timestamp: this.clock.now(),
      state,
      message,
      err: patch.err ?? '',
      container: patch.container ?? this.status.container,
      ports: patch.ports ?? this.status.ports,
      health,
    };
    this.opts.report(this.status);
    if (ended) this.opts.stopped();
  }

  // Before the status of a stopped container is known (an inspect away): a successor waiting on it may start now.
  private markStopped(): void {
    if (this.hasStopped()) return;
    this.containerStopped = true;
    this.opts.stopped();
  }

  /** The container as inspected now; startedAt stays the task's own (when it reached RUNNING). */
  private async observed(): Promise<Pick<StatusPatch, 'container' | 'ports'>> {
    const container = await this.controller.inspect();
    return container ? patchFrom(container, this.status.container?.startedAt ?? 0) : {};
  }

  /**
   * Before a running task with ingress ports is stopped: waits a moment for every node's mesh to drop it from its
   * table (no new connection reaches it after that), then until the container has no established connection on its
   * ingress ports, polling; the whole wait is at most the task's grace period. A task that never ran was in no table.
   */
  private async drain(): Promise<void> {
    if (this.status.state !== 'RUNNING' || !hasIngressPorts(this.task)) return;
    const end = this.clock.now() + this.graceMs();
    await this.sleep(Math.min(MESH_SETTLE_MS, this.graceMs()));
    let logged = false;
    while (!this.closed && this.clock.now() < end) {
      let open: number;
      try {
        open = await this.controller.connections();
      } catch {
        return; // the engine's trouble is the stop's to report
      }
      if (open === 0) return;
      if (!logged) this.logger.info({ open }, 'waiting for the task\'s connections to finish before stopping it');
      logged = true;
      await this.sleep(Math.min(DRAIN_POLL_MS, end - this.clock.now()));
    }
    if (logged && !this.closed) this.logger.info('grace period over: stopping the task with connections still open');
  }

  /** Resolves after ms, or at once when the runner closes. */
  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        cancel();
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.clock.setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  private graceMs(): number {
    return stopGraceMs(this.task);
  }

  private wake(): void {
    this.generation++;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Resolves at the first change after the current step began (at once if one already happened). */
  private changed(): Promise<void> {
    if (this.generation !== this.seen) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private closing(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

function hasIngressPorts(task: Task): boolean {
  return (task.endpoint?.ports ?? []).some((p) => p.publishMode === 'ingress');
}

function patchFrom(c: ContainerState, startedAt: number): Pick<TaskStatus, 'container' | 'ports'> {
  return { container: { containerId: c.containerId, pid: c.pid, exitCode: c.exitCode, startedAt }, ports: c.ports };
}

function asHealth(health: string | undefined): HealthStatus {
  return health === 'starting' || health === 'healthy' || health === 'unhealthy' ? health : '';
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
