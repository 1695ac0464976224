import type { ContainerState, Controller, HealthStatus } from '../../packages/agent/src/exec/controller.js';

export interface Deferred<T> { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void }
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

interface HealthWaiter { known: HealthStatus; resolve(h: HealthStatus): void }

/** A controller whose container lives in memory; each step can be made to fail or to hang. */
export class FakeController implements Controller {
  calls: string[] = [];
  container: ContainerState | undefined;
  prepareError: Error | undefined;
  startError: Error | undefined;
  /** The container has a health check: it starts with health 'starting'. */
  healthcheck = false;
  /** Failures of the next calls, whatever they are (e.g. the engine going away). */
  failNext: Error[] = [];
  startGate: Deferred<void> | undefined;
  /** Holds a shutdown (the container taking its time to stop) until resolved. */
  shutdownGate: Deferred<void> | undefined;
  exit = deferred<number>();
  /** The pending healthChange calls (a leak check: none may be left once the task is over). */
  readonly healthWaiters = new Set<HealthWaiter>();
  /** The clock's "now" when the engine starts the container (State.StartedAt). */
  startedAtMs = 1_000;

  async prepare(): Promise<void> {
    this.record('prepare');
    if (this.prepareError) throw this.prepareError;
    this.container ??= { containerId: 'c1', running: false, started: false, startedAt: 0, pid: 0, exitCode: 0, ports: [], health: '' };
  }
  async start(): Promise<void> {
    this.record('start');
    if (this.startGate) await this.startGate.promise;
    if (this.startError) throw this.startError;
    if (this.container?.started) return;
    this.container = {
      ...this.container!, running: true, started: true, startedAt: this.startedAtMs, pid: 42, health: this.healthcheck ? 'starting' : '',
    };
  }
  wait(): Promise<number> {
    this.record('wait');
    return this.exit.promise;
  }
  healthChange(known: HealthStatus, signal: AbortSignal): Promise<HealthStatus> {
    this.record(`healthChange(${known})`);
    const current = this.container?.health ?? '';
    if (current !== known) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const waiter: HealthWaiter = {
        known,
        resolve: (h) => {
          this.healthWaiters.delete(waiter);
          resolve(h);
        },
      };
      this.healthWaiters.add(waiter);
      signal.addEventListener('abort', () => {
        this.healthWaiters.delete(waiter);
        reject(new Error('aborted'));
      }, { once: true });
    });
  }
  /** The engine's health check result changes the container's health. */
  setHealth(health: HealthStatus): void {
    this.container = { ...this.container!, health };
    for (const waiter of [...this.healthWaiters]) if (waiter.known !== health) waiter.resolve(health);
  }
  async shutdown(graceMs: number): Promise<void> {
    this.record(`shutdown(${graceMs})`);
    if (this.shutdownGate) await this.shutdownGate.promise;
    if (this.container?.running) {
      this.container = { ...this.container, running: false, pid: 0, exitCode: 137 };
      this.exit.resolve(137);
    }
  }
  /** Established connections on the ingress ports, as each call to connections() finds them (the last one stays). */
  openConnections: number[] = [0];
  async connections(): Promise<number> {
    this.record('connections');
    return this.openConnections.length > 1 ? this.openConnections.shift()! : this.openConnections[0] ?? 0;
  }
  async remove(): Promise<void> {
    this.record('remove');
    this.container = undefined;
  }
  async inspect(): Promise<ContainerState | undefined> {
    this.record('inspect');
    return this.container;
  }
  private record(call: string): void {
    this.calls.push(call);
    const err = this.failNext.shift();
    if (err) throw err;
  }
}
