import type { Filter } from './filter.js';
import { nodeCount } from './filter.js';
import type { NodeInfo } from '../node-info.js';

/** Only a ready node whose agent holds a session can start anything. */
export class ReadyFilter implements Filter {
  readonly name = 'ready';
  setTask(): boolean { return true; }
  check(n: NodeInfo): boolean { return n.node.status.state === 'ready' && n.node.status.agent; }
  explain(failures: number): string { return `${nodeCount(failures)} not ready`; }
}
