import type { Constraint, Task } from '@shoal/api';
import type { Filter } from './filter.js';
import { nodeCount } from './filter.js';
import type { NodeInfo } from '../node-info.js';
import { compileConstraints, targetSatisfies } from '../placement.js';

/** Placement constraints (node.labels.X, node.role, engine.labels.X, … with == or !=), all ANDed. */
export class ConstraintFilter implements Filter {
  readonly name = 'constraints';
  private constraints: readonly Constraint[] | 'invalid' = [];

  setTask(task: Task): boolean {
    const exprs = task.spec.placement.constraints;
    this.constraints = compileConstraints(exprs);
    return exprs.length > 0;
  }

  check(n: NodeInfo): boolean { return targetSatisfies(n.constraintTarget, this.constraints); }

  explain(failures: number): string { return `scheduling constraints not satisfied on ${nodeCount(failures)}`; }
}
