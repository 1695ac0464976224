import { pino } from 'pino';
import type { Task, TaskStatus } from '@shoal/api';
import { TEST_IMAGE } from '../e2e/images.js';

export const silentLogger = pino({ level: 'silent' });

/** A task as the manager sends it, with every field filled. */
export function makeTask(over: Partial<Task> & { image?: string; graceMs?: number } = {}): Task {
  const { image, graceMs, ...rest } = over;
  return {
    id: 'task1',
    meta: { version: 1, createdAt: 0, updatedAt: 0 },
    serviceId: 'svc1',
    serviceName: 'web',
    slot: 1,
    nodeId: 'node1',
    spec: {
      container: {
        image: image ?? TEST_IMAGE, command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '',
        mounts: [], stopGracePeriodMs: graceMs ?? 0,
      },
      resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } },
      restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [] },
    },
    status: status('ASSIGNED'),
    desiredState: 'RUNNING',
    endpoint: { ports: [] },
    registryAuth: { username: '', password: '', serverAddress: '' },
    ...rest,
  };
}

export function status(state: TaskStatus['state'], over: Partial<TaskStatus> = {}): TaskStatus {
  return { timestamp: 0, state, message: '', err: '', container: { containerId: '', pid: 0, exitCode: 0 }, ports: [], ...over };
}

/** Lets pending promise chains run (the runner's steps are a few awaits each). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Undo steps of a test, run last-first; every step runs even when an earlier one fails. */
export class Cleanups {
  private readonly steps: (() => Promise<unknown>)[] = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length) throw new AggregateError(errors, 'cleanup failed');
  }
}
