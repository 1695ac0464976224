import { InvalidArgumentError, type EventsRequest } from '@shoal/api';
import { EVENT_ACTIONS, EVENT_TYPES, type EventRecord } from './derive.js';

/** A validated events request: which events a stream replays and sends. */
export interface EventQuery {
  since: number;
  afterIndex: number;
  types: ReadonlySet<string>;
  services: readonly string[];
  nodes: readonly string[];
  actions: ReadonlySet<string>;
}

/** Checks a request's filters: an unknown type or action is refused with the accepted words. */
export function eventQuery(req: Partial<EventsRequest>): EventQuery {
  const types = req.types ?? [];
  const actions = req.actions ?? [];
  for (const t of types) {
    if (!(EVENT_TYPES as readonly string[]).includes(t)) throw new InvalidArgumentError(`invalid event type "${t}": use ${EVENT_TYPES.join(', ')}`);
  }
  for (const a of actions) {
    if (!(EVENT_ACTIONS as readonly string[]).includes(a)) throw new InvalidArgumentError(`invalid event "${a}": use ${EVENT_ACTIONS.join(', ')}`);
  }
  const since = Number(req.since ?? 0);
  const afterIndex = Number(req.afterIndex ?? 0);
  if (!Number.isFinite(since) || since < 0) throw new InvalidArgumentError(`invalid since ${String(req.since)}: use unix milliseconds`);
  if (!Number.isFinite(afterIndex) || afterIndex < 0) throw new InvalidArgumentError(`invalid after index ${String(req.afterIndex)}`);
  return {
    since, afterIndex, types: new Set(types), actions: new Set(actions),
    services: (req.services ?? []).filter((s) => s !== ''), nodes: (req.nodes ?? []).filter((n) => n !== ''),
  };
}

/**
 * Whether an event passes a query's filters: values of one filter are ORed, filters ANDed (docker's rule). A service
 * filter matches the service's id, an id prefix or its name; a node filter the node's id, an id prefix or its
 * hostname; for a task event, its service and its node.
 */
export function matchesQuery(r: EventRecord, q: EventQuery): boolean {
  if (q.types.size && !q.types.has(r.event.type)) return false;
  if (q.actions.size && !q.actions.has(r.event.action)) return false;
  if (q.services.length && !q.services.some((s) => matchesRef(s, r.serviceId, r.serviceName))) return false;
  if (q.nodes.length && !q.nodes.some((n) => matchesRef(n, r.nodeId, r.nodeName))) return false;
  return true;
}

function matchesRef(ref: string, id: string, name: string): boolean {
  return id !== '' && (id.startsWith(ref) || ref === name);
}

/** Whether an event is one a stream replays before the live ones: after the index, else since the time, else none. */
export function replays(r: EventRecord, q: EventQuery): boolean {
  if (q.afterIndex > 0) return r.event.index > q.afterIndex;
  if (q.since > 0) return r.event.time >= q.since;
  return false;
}
