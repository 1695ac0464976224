import { FailedPreconditionError, InvalidArgumentError, newId, type Service } from '@shoal/api';
import { hasSpec, rolledBack, withNewSpec } from '../orchestrator/rollout.js';
import type { ControlComponents } from './components.js';
import { unary } from './handlers.js';
import { findService } from './refs.js';
import { checkPortConflicts, noSpec, validateSpec, withDefaults, withPublishedPorts } from './service-spec.js';

export function serviceHandlers(c: ControlComponents) {
  const { store } = c;
  /** A service as shown: with the routing mesh's endpoints, which the leader keeps (never stored). */
  const shown = (s: Service): Service => ({ ...s, endpoints: c.dispatcher.endpointsOf(s.id) });
  return {
    ListServices: unary(async () => ({ services: store.all('services').map(shown) })),
    GetService: unary(async (req: { ref: string }) => shown(findService(store, req.ref))),
    CreateService: unary(async (req: { spec: Service['spec'] }) => {
      const given = withDefaults(req.spec);
      validateSpec(given);
      return store.update((tx) => {
        if (tx.serviceByName(given.annotations.name)) throw new InvalidArgumentError(`a service named "${given.annotations.name}" already exists`);
        const spec = withPublishedPorts(given, tx.all('services'));
        checkPortConflicts(tx, spec);
        const service: Service = {
          id: newId(c.rand), meta: { version: 0, createdAt: 0, updatedAt: 0 }, spec, previousSpec: noSpec(),
          updateStatus: { state: '', startedAt: 0, completedAt: 0, message: '' }, endpoints: [],
        };
        tx.create('services', service);
        return tx.get('services', service.id)!;
      }).then(shown);
    }),
    UpdateService: unary(async (req: { ref: string; version: number; spec: Service['spec']; rollback: boolean }) => {
      if (req.rollback) {
        return store.update((tx) => {
          const current = findService(tx, req.ref);
          const previous = current.previousSpec;
          if (!hasSpec(previous)) throw new FailedPreconditionError(`service ${current.spec.annotations.name} has no previous spec to roll back to`);
          checkPortConflicts(tx, previous, current.id);
          const next = rolledBack(current, previous, c.clock.now(), 'manually requested rollback');
          tx.update('services', { ...next, meta: { ...current.meta, version: req.version || current.meta.version } });
          return tx.get('services', current.id)!;
        }).then(shown);
      }
      const given = withDefaults(req.spec);
      validateSpec(given);
      return store.update((tx) => {
        const current = findService(tx, req.ref);
        if (given.annotations.name !== current.spec.annotations.name) throw new InvalidArgumentError('a service cannot be renamed');
        if (given.mode !== current.spec.mode) throw new InvalidArgumentError(`the mode of service ${given.annotations.name} cannot change (it is ${current.spec.mode})`);
        const spec = withPublishedPorts(given, tx.all('services').filter((s) => s.id !== current.id), current.spec);
        checkPortConflicts(tx, spec, current.id);
        const next = withNewSpec(current, spec, c.clock.now());
        tx.update('services', { ...next, meta: { ...current.meta, version: req.version } });
        return tx.get('services', current.id)!;
      }).then(shown);
    }),
    RemoveService: unary(async (req: { ref: string }) => {
      await store.update((tx) => { tx.delete('services', findService(tx, req.ref).id); });
      return {};
    }),

  };
}
