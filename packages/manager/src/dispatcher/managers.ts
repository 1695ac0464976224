import type { Node } from '@shoal/api';

/** The addresses of the managers among nodes, sorted (so an unchanged set compares equal) and without blanks. */
export function managerAddrs(nodes: Iterable<Node>): string[] {
  const addrs = new Set<string>();
  for (const node of nodes) if (isManager(node)) addrs.add(node.managerStatus.addr);
  return [...addrs].sort();
}

export function isManager(node: Node): boolean {
  return node.spec.role === 'manager' && !!node.managerStatus.addr;
}
