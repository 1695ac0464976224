import type { Filter } from './filter.js';
import { nodeCount } from './filter.js';
import type { NodeInfo } from '../node-info.js';

/** Paused and drained nodes take no new tasks; an unset availability means active. */
export class AvailabilityFilter implements Filter {
  readonly name = 'availability';
  setTask(): boolean { return true; }
  check(n: NodeInfo): boolean {
    const a = n.node.spec.availability;
    return a !== 'pause' && a !== 'drain';
  }
  explain(failures: number): string { return `${nodeCount(failures)} not available for new tasks`; }
}
