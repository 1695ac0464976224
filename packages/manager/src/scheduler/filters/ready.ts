import type { Filter } from './filter.js';
import { nodeCount } from './filter.js';
import type { NodeInfo } from '../node-info.js';

/** Only a ready node can start anything (nodes without an agent are not in the scheduler's view at all). */
export class ReadyFilter implements Filter {
  readonly name = 'ready';
  setTask(): boolean { return true; }
  check(n: NodeInfo): boolean { return n.node.status.state === 'ready'; }
  explain(failures: number): string { return `${nodeCount(failures)} not ready`; }
}
