import type { ContainerState, Controller } from '../../packages/agent/src/exec/controller.js';

export interface Deferred<T> { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void }
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** A controller whose container lives in memory; each step can be made to fail or to hang. */
export class FakeController implements Controller {
  calls: string[] = [];
  container: ContainerState | undefined;
  prepareError: Error | undefined;
  startError: Error | undefined;
  /** Failures of the next calls, whatever they are (e.g. the engine going away). */
  failNext: Error[] = [];
  startGate: Deferred<void> | undefined;
  exit = deferred<number>();

  async prepare(): Promise<void> {
    this.record('prepare');
    if (this.prepareError) throw this.prepareError;
    this.container ??= { containerId: 'c1', running: false, started: false, pid: 0, exitCode: 0, ports: [] };
  }
  async start(): Promise<void> {
    this.record('start');
    if (this.startGate) await this.startGate.promise;
    if (this.startError) throw this.startError;
    if (this.container?.started) return;
    this.container = { ...this.container!, running: true, started: true, pid: 42 };
  }
  wait(): Promise<number> {
    this.record('wait');
    return this.exit.promise;
  }
  async shutdown(graceMs: number): Promise<void> {
    this.record(`shutdown(${graceMs})`);
    if (this.container?.running) {
      this.container = { ...this.container, running: false, pid: 0, exitCode: 137 };
      this.exit.resolve(137);
    }
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
