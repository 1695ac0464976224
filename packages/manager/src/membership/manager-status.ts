import type { Node } from '@shoal/api';
import type { Member } from './members.js';

/**
 * A node as the control API shows it: a manager's MANAGER STATUS (leader, reachable or unreachable) is not kept in
 * the store — it changes with every election — but read from the Raft membership when asked.
 */
export function withManagerStatus(node: Node, members: ReadonlyMap<string, Member>, leaderId: string): Node {
  if (node.spec.role !== 'manager') return { ...node, managerStatus: { addr: '', leader: false, reachability: '' } };
  const member = members.get(node.id);
  const reachable = member?.reachable === true;
  return {
    ...node,
    // A manager without an agent has no heartbeat of its own: its Raft reachability is its state.
    status: node.status.agent ? node.status : { ...node.status, state: reachable ? 'ready' : 'down' },
    managerStatus: {
      addr: member?.addr ?? node.managerStatus.addr,
      leader: node.id === leaderId && leaderId !== '',
      reachability: reachable ? 'reachable' : 'unreachable',
    },
  };
}
