import { FailedPreconditionError, InvalidArgumentError, type Node } from '@shoal/api';
import type { ControlComponents } from './components.js';
import { unary } from './handlers.js';
import { findNode } from './refs.js';
import { withManagerStatus } from '../membership/manager-status.js';
import { removalRefusal } from '../membership/members.js';
import { notConnected, promotionOf, type Promotion } from '../membership/promotion.js';

const AVAILABILITIES = ['active', 'pause', 'drain'];
const ROLES = ['worker', 'manager'];

export function nodeHandlers(c: ControlComponents) {
  const { store } = c;
  const shown = (nodes: Node[]): Node[] => {
    const members = new Map(c.membership.members().map((m) => [m.id, m]));
    const leader = c.membership.leaderInfo().id;
    // The mesh listeners are the agent's latest heartbeat, kept by the leader's dispatcher (never stored).
    return nodes.map((n) => ({ ...withManagerStatus(n, members, leader), mesh: c.dispatcher.meshOf(n.id) }));
  };
  /**
   * Checks a role change against the Raft membership as the leader sees it: a refusal throws; a promotion says how
   * the node's manager becomes a voter.
   */
  const roleChange = (node: Node, role: string): Promotion | undefined => {
    if (role === 'worker') {
      const refused = removalRefusal(c.membership.members(), node.id, `manager ${node.description.hostname || node.id}`);
      if (refused) throw new FailedPreconditionError(refused);
      return undefined;
    }
    const promotion = promotionOf(node, c.dispatcher.connected(node.id));
    if (promotion.kind === 'refuse') throw new FailedPreconditionError(promotion.reason);
    return promotion;
  };
  /** Undoes a promotion that failed, leaving the node a worker. */
  const backToWorker = (id: string) => store.update((tx) => {
    const n = tx.get('nodes', id);
    if (n) tx.update('nodes', { ...n, spec: { ...n.spec, role: 'worker' } });
  }).catch(() => undefined);
  return {
    ListNodes: unary(async () => ({ nodes: shown(store.all('nodes')) })),
    GetNode: unary(async (req: { ref: string }) => shown([findNode(store, req.ref)])[0]!),
    UpdateNode: unary(async (req: { ref: string; availability: string; labelAdd: Record<string, string>; labelRm: string[]; role: string }) => {
      if (req.availability && !AVAILABILITIES.includes(req.availability)) {
        throw new InvalidArgumentError(`invalid availability "${req.availability}": use active, pause or drain`);
      }
      if (req.role && !ROLES.includes(req.role)) throw new InvalidArgumentError(`invalid role "${req.role}": use worker or manager`);
      for (const k of Object.keys(req.labelAdd)) if (!k) throw new InvalidArgumentError('a node label needs a key');
      const { updated, promotion } = await store.update((tx) => {
        const node = findNode(tx, req.ref);
        for (const k of req.labelRm) {
          if (!(k in node.spec.labels)) throw new InvalidArgumentError(`node ${node.description.hostname || node.id} has no label "${k}"`);
        }
        const role = req.role || node.spec.role;
        const change = role !== node.spec.role ? roleChange(node, role) : undefined;
        const labels = { ...node.spec.labels, ...req.labelAdd };
        for (const k of req.labelRm) delete labels[k];
        const next: Node = { ...node, spec: { ...node.spec, labels, role, availability: req.availability || node.spec.availability } };
        tx.update('nodes', next);
        return { updated: next, promotion: change };
      });
      // A demoted manager leaves the voters through the membership loop. A promoted node whose manager runs becomes
      // a voter here, where the caller waits for it; one whose agent starts a manager is told so and the call returns
      // (its manager joins through the Join RPC, Unreachable until then). A promotion that fails is said so and
      // leaves the node a worker.
      if (promotion?.kind === 'start-manager') {
        const cluster = store.cluster();
        const joinAddr = c.membership.leaderInfo().addr || c.self.addr;
        if (!cluster || !c.dispatcher.promote(updated.id, { token: cluster.managerToken, joinAddr })) {
          await backToWorker(updated.id);
          throw new FailedPreconditionError(notConnected(updated.description.hostname || updated.id));
        }
      } else if (req.role === 'manager' && updated.managerStatus.addr && !c.membership.members().some((m) => m.id === updated.id)) {
        await c.membership.addVoter(updated.id, updated.managerStatus.addr).catch(async (err: unknown) => {
          await backToWorker(updated.id);
          throw err;
        });
      }
      return shown([store.get('nodes', updated.id) ?? updated])[0]!;
    }),
    RemoveNode: unary(async (req: { ref: string; force: boolean }) => {
      await store.update((tx) => {
        const node = findNode(tx, req.ref);
        const name = node.description.hostname || node.id;
        if (node.spec.role === 'manager') throw new FailedPreconditionError(`node ${name} is a manager: demote it before removing it`);
        if (c.membership.members().some((m) => m.id === node.id)) {
          throw new FailedPreconditionError(`node ${name} is still leaving the managers' Raft cluster: try again in a moment`);
        }
        if (!req.force && node.status.state !== 'down') {
          throw new FailedPreconditionError(`node ${name} is not down and can't be removed: use --force to remove it anyway`);
        }
        tx.delete('nodes', node.id);
      });
      return {};
    }),

  };
}
