import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newId, systemClock, type Assignments, type Task, type TaskState, type TaskStatus } from '@shoal/api';
import { DockerExecutor } from '../../../packages/agent/src/docker/executor.js';
import { Engine } from '../../../packages/agent/src/docker/engine.js';
import { AgentStore } from '../../../packages/agent/src/store.js';
import { Worker } from '../../../packages/agent/src/worker.js';
import { makeTask, silentLogger } from '../helpers.js';

const run = promisify(execFile);

export const DOCKER_HOST = 'unix:///var/run/docker.sock';

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args);
  return stdout.trim();
}

/** Removes every container labelled with one of these node ids, whatever state it is in. */
export async function removeNodeContainers(...nodeIds: string[]): Promise<void> {
  for (const nodeId of nodeIds) {
    const ids = await docker('ps', '-aq', '--filter', `label=shoal.node.id=${nodeId}`);
    if (ids) await docker('rm', '-f', '-v', ...ids.split('\n'));
  }
}

/** A node id no other test (or agent) uses, so cleanup by label touches only this test's containers. */
export function testNodeId(): string {
  return `agtest${newId().slice(0, 12)}`;
}

/** A worker on the real engine, driven with assignment sets as the manager would send them. */
export class WorkerHarness {
  readonly reports = new Map<string, TaskStatus[]>();
  worker!: Worker;
  store!: AgentStore;
  engine!: Engine;
  dataDir = '';

  constructor(readonly nodeId: string, readonly advertise = '127.0.0.2') {}

  async start(dataDir?: string): Promise<this> {
    this.dataDir = dataDir ?? await mkdtemp(join(tmpdir(), 'shoal-agent-'));
    this.engine = new Engine(DOCKER_HOST, systemClock, silentLogger);
    await this.engine.start();
    this.store = await AgentStore.open(this.dataDir, silentLogger);
    this.worker = new Worker({
      store: this.store,
      executor: new DockerExecutor(this.engine, { id: this.nodeId, advertise: this.advertise }, silentLogger),
      clock: systemClock,
      logger: silentLogger,
      report: (taskId, status) => this.reports.set(taskId, [...(this.reports.get(taskId) ?? []), status]),
      awaitEngine: (cause) => this.engine.awaitReady(cause),
    });
    await this.worker.start();
    return this;
  }

  /** Stops the worker but keeps the data dir (and the containers), as an agent restart would. */
  async stop(): Promise<void> {
    await this.worker?.stop();
    this.engine?.stop();
    await this.store?.close();
  }

  async destroy(): Promise<void> {
    await this.stop();
    await removeNodeContainers(this.nodeId);
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  apply(assignments: Partial<Assignments>): Promise<void> {
    return this.worker.apply({ full: false, tasks: [], removed: [], ...assignments });
  }

  task(over: Parameters<typeof makeTask>[0] = {}): Task {
    return makeTask({ id: newId(), nodeId: this.nodeId, graceMs: 1_000, ...over });
  }

  states(taskId: string): TaskState[] {
    return (this.reports.get(taskId) ?? []).map((s) => s.state);
  }

  last(taskId: string): TaskStatus | undefined {
    return this.reports.get(taskId)?.at(-1);
  }
}
