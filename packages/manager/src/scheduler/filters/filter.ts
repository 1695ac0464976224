import type { Task } from '@shoal/api';
import type { NodeInfo } from '../node-info.js';

/** One feasibility check of the pipeline. */
export interface Filter {
  readonly name: string;
  /** Prepares the check for a task; false when the filter has nothing to say about it (it is then skipped). */
  setTask(task: Task): boolean;
  check(node: NodeInfo): boolean;
  /** Why `failures` nodes were rejected, e.g. "insufficient memory on 2 nodes". */
  explain(failures: number): string;
}

/** "1 node", "3 nodes". */
export function nodeCount(n: number): string {
  return n === 1 ? '1 node' : `${n} nodes`;
}
