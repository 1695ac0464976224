import type { Task } from '@shoal/api';
import type { Filter } from './filter.js';
import { nodeCount } from './filter.js';
import type { NodeInfo } from '../node-info.js';

/** The task's reservations must fit in what the node's other tasks leave free. */
export class ResourceFilter implements Filter {
  readonly name = 'resources';
  private cpu = 0;
  private memory = 0;
  // Which resource was short, so the explanation can name it when it is always the same one.
  private cpuShort = 0;
  private memoryShort = 0;

  setTask(task: Task): boolean {
    const r = task.spec.resources.reservations;
    this.cpu = r.nanoCpus;
    this.memory = r.memoryBytes;
    this.cpuShort = 0;
    this.memoryShort = 0;
    return this.cpu > 0 || this.memory > 0;
  }

  check(n: NodeInfo): boolean {
    const cpuOk = n.freeNanoCpus >= this.cpu;
    const memoryOk = n.freeMemoryBytes >= this.memory;
    if (!cpuOk) this.cpuShort++;
    if (!memoryOk) this.memoryShort++;
    return cpuOk && memoryOk;
  }

  explain(failures: number): string {
    const what = this.cpuShort === 0 ? 'memory' : this.memoryShort === 0 ? 'cpu' : 'resources';
    return `insufficient ${what} on ${nodeCount(failures)}`;
  }
}
