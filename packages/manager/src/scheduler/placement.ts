import { constraintMatches, parseConstraint } from '@shoal/api';
import type { Constraint, ConstraintTarget, Node } from '@shoal/api';
import { constraintTarget } from './node-info.js';

/**
 * Parses a task's placement constraints. An expression that does not parse matches no node
 * (the control API rejects such specs; a stored one must not place tasks anywhere it pleases).
 */
export function compileConstraints(expressions: readonly string[]): readonly Constraint[] | 'invalid' {
  try {
    return expressions.map(parseConstraint);
  } catch {
    return 'invalid';
  }
}

export function targetSatisfies(target: ConstraintTarget, constraints: readonly Constraint[] | 'invalid'): boolean {
  if (constraints === 'invalid') return false;
  for (const c of constraints) if (!constraintMatches(c, target)) return false;
  return true;
}

/** Whether a node satisfies every placement constraint of a task spec. */
export function nodeSatisfies(node: Node, expressions: readonly string[]): boolean {
  if (expressions.length === 0) return true;
  return targetSatisfies(constraintTarget(node), compileConstraints(expressions));
}
