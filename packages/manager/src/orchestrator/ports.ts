import type { Service, ServiceSpec } from '@shoal/api';

/**
 * The first published port of `spec` that another service publishes too, worded for a user; undefined when none.
 * A published port may belong to one service only, whatever the modes: an ingress port is listened on by every
 * node, so no other service may publish it, in either mode; two host-mode services on one port would keep each
 * other off nodes. A host-mode port published as 0 (the engine picks one per task) conflicts with nothing.
 */
export function portConflict(services: Iterable<Service>, spec: ServiceSpec, selfId?: string): string | undefined {
  for (const p of spec.endpoint.ports) {
    if (!p.publishedPort) continue;
    for (const other of services) {
      if (other.id === selfId) continue;
      const used = other.spec.endpoint.ports.find((q) => q.publishedPort === p.publishedPort && q.protocol === p.protocol);
      if (used) return `published port ${p.publishedPort}/${p.protocol} is already used by service ${other.spec.annotations.name} (${used.publishMode === 'ingress' ? 'ingress' : 'host mode'})`;
    }
  }
  return undefined;
}
