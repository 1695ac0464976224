import type { Task } from '@shoal/api';
import type { Filter } from './filters/filter.js';
import { ReadyFilter } from './filters/ready.js';
import { AvailabilityFilter } from './filters/availability.js';
import { ResourceFilter } from './filters/resources.js';
import { ConstraintFilter } from './filters/constraints.js';
import { HostPortFilter } from './filters/host-ports.js';
import type { NodeInfo } from './node-info.js';

/** Cheap, static checks first; a node is charged to the first filter that rejects it. */
export function defaultFilters(): Filter[] {
  return [new ReadyFilter(), new AvailabilityFilter(), new ConstraintFilter(), new ResourceFilter(), new HostPortFilter()];
}

interface Entry { readonly filter: Filter; failures: number }

/** Runs the filters that apply to one task over nodes and remembers why nodes were rejected. */
export class Pipeline {
  private readonly entries: Entry[];
  private active: Entry[] = [];

  constructor(filters: readonly Filter[] = defaultFilters()) {
    this.entries = filters.map((filter) => ({ filter, failures: 0 }));
  }

  /** Selects the filters for this task and forgets the previous task's failures. */
  setTask(task: Task): void {
    this.active = [];
    for (const e of this.entries) {
      e.failures = 0;
      if (e.filter.setTask(task)) this.active.push(e);
    }
  }

  process(node: NodeInfo): boolean {
    for (const e of this.active) {
      if (!e.filter.check(node)) {
        e.failures++;
        return false;
      }
    }
    return true;
  }

  /** Why the task fits nowhere: "no suitable node (2 nodes not ready; insufficient memory on 1 node)", most failures first. */
  explain(): string {
    const parts = this.active
      .filter((e) => e.failures > 0)
      .sort((a, b) => b.failures - a.failures)
      .map((e) => e.filter.explain(e.failures));
    return parts.length === 0 ? 'no suitable node' : `no suitable node (${parts.join('; ')})`;
  }
}
