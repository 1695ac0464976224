import type { Node } from '@shoal/api';
import { removalRefusal, type Member } from './members.js';

export type MembershipAction =
  | { readonly kind: 'remove'; readonly id: string }
  | { readonly kind: 'transfer'; readonly to: string };

/**
 * The next step that takes the voters whose node was demoted (role worker) out of the Raft cluster, or undefined
 * when there is none or no step is safe now (the voters left would not hold a reachable quorum). One step at a
 * time: Raft changes membership one server at a time. Voters without a node object are left alone. Adding voters
 * is not done here but where it is asked for (a join, a promotion), so a node never becomes a voter by accident.
 * Pure: the leader's membership loop runs it on every node change and every second.
 */
export function nextMembershipAction(nodes: readonly Node[], members: readonly Member[], self: string): MembershipAction | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const m of members) {
    const node = byId.get(m.id);
    if (!node || node.spec.role === 'manager') continue;
    if (removalRefusal(members, m.id, m.id)) continue;
    if (m.id !== self) return { kind: 'remove', id: m.id };
    // The leader cannot remove itself: it hands over first, and the next leader removes it.
    const heir = members.find((o) => o.id !== self && o.reachable && byId.get(o.id)?.spec.role === 'manager');
    if (heir) return { kind: 'transfer', to: heir.id };
  }
  return undefined;
}
