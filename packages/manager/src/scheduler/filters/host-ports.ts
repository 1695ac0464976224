import type { Task } from '@shoal/api';
import type { Filter } from './filter.js';
import { nodeCount } from './filter.js';
import type { NodeInfo } from '../node-info.js';
import { taskDemand } from '../node-info.js';

/** A host-mode published port binds on the node itself, so two tasks cannot share it there. */
export class HostPortFilter implements Filter {
  readonly name = 'host-ports';
  private ports: readonly string[] = [];

  setTask(task: Task): boolean {
    this.ports = taskDemand(task).hostPorts;
    return this.ports.length > 0;
  }

  check(n: NodeInfo): boolean {
    for (const p of this.ports) if (n.hostPortInUse(p)) return false;
    return true;
  }

  explain(failures: number): string { return `host-mode port already in use on ${nodeCount(failures)}`; }
}
