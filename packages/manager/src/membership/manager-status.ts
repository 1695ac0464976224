import type { Node } from '@shoal/api';
import type { Member } from './members.js';

/**
 * A node as the control API shows it: a manager's MANAGER STATUS (leader, reachable or unreachable) is not kept in
 * the store — it changes with every election — but read from the Raft membership when asked.
 */
export function withManagerStatus(node: Node, members: ReadonlyMap<string, Member>, leaderId: string): Node {
  if (node.spec.role !== 'manager') return { ...node, managerStatus: { addr: '', leader: false, reachability: '' } };
  const member = members.get(node.id);
  return {
    ...node,
    managerStatus: {
      addr: member?.addr ?? node.managerStatus.addr,
      leader: node.id === leaderId && leaderId !== '',
      reachability: member?.reachable ? 'reachable' : 'unreachable',
    },
  };
}
