import { FailedPreconditionError, InvalidArgumentError, type Node } from '@shoal/api';
import type { ControlComponents } from './components.js';
import { unary } from './handlers.js';
import { findNode } from './refs.js';

const AVAILABILITIES = ['active', 'pause', 'drain'];

export function nodeHandlers(c: ControlComponents) {
  const { store } = c;
  return {
    ListNodes: unary(async () => ({ nodes: store.all('nodes') })),
    GetNode: unary(async (req: { ref: string }) => findNode(store, req.ref)),
    UpdateNode: unary(async (req: { ref: string; availability: string; labelAdd: Record<string, string>; labelRm: string[] }) => {
      if (req.availability && !AVAILABILITIES.includes(req.availability)) {
        throw new InvalidArgumentError(`invalid availability "${req.availability}": use active, pause or drain`);
      }
      for (const k of Object.keys(req.labelAdd)) if (!k) throw new InvalidArgumentError('a node label needs a key');
      return store.update((tx) => {
        const node = findNode(tx, req.ref);
        for (const k of req.labelRm) {
          if (!(k in node.spec.labels)) throw new InvalidArgumentError(`node ${node.description.hostname || node.id} has no label "${k}"`);
        }
        const labels = { ...node.spec.labels, ...req.labelAdd };
        for (const k of req.labelRm) delete labels[k];
        const next: Node = { ...node, spec: { ...node.spec, labels, availability: req.availability || node.spec.availability } };
        tx.update('nodes', next);
        return next;
      });
    }),
    RemoveNode: unary(async (req: { ref: string; force: boolean }) => {
      await store.update((tx) => {
        const node = findNode(tx, req.ref);
        const name = node.description.hostname || node.id;
        if (node.spec.role === 'manager') throw new FailedPreconditionError(`node ${name} is a manager: demote it before removing it`);
        if (!req.force && node.status.state !== 'down') {
          throw new FailedPreconditionError(`node ${name} is not down and can't be removed: use --force to remove it anyway`);
        }
        tx.delete('nodes', node.id);
      });
      return {};
    }),

  };
}
