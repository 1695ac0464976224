import { InvalidArgumentError, NotFoundError, type Node, type Service, type Task } from '@shoal/api';
import type { ReadTx } from '../store/index.js';

/** Resolves a reference the way docker does: full id, then name, then a unique id prefix. */
function resolve<T extends { id: string }>(all: T[], ref: string, what: string, nameOf: (o: T) => string): T {
  if (!ref) throw new InvalidArgumentError(`a ${what} id or name is required`);
  const exact = all.find((o) => o.id === ref) ?? all.find((o) => nameOf(o) === ref);
  if (exact) return exact;
  const prefixed = all.filter((o) => o.id.startsWith(ref));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) throw new InvalidArgumentError(`${what} "${ref}" is ambiguous: ${prefixed.length} ${what}s have ids starting with it`);
  throw new NotFoundError(`no such ${what}: ${ref}`);
}

export function findService(tx: ReadTx, ref: string): Service {
  const byName = ref ? tx.serviceByName(ref) : undefined;
  return byName ?? resolve(tx.all('services'), ref, 'service', (s) => s.spec.annotations.name);
}

export function findNode(tx: ReadTx, ref: string): Node {
  return resolve(tx.all('nodes'), ref, 'node', (n) => n.description.hostname);
}

export function findTask(tx: ReadTx, ref: string): Task {
  const t = tx.get('tasks', ref);
  if (t) return t;
  return resolve(tx.all('tasks'), ref, 'task', () => '');
}
