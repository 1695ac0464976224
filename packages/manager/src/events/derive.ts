import type { Event, Node, Service, Task } from '@shoal/api';
import type { ReadTx, StoreEvent } from '../store/index.js';

export const EVENT_TYPES = ['service', 'node', 'task'] as const;
export const EVENT_ACTIONS = ['create', 'update', 'remove'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type EventAction = (typeof EVENT_ACTIONS)[number];

/**
 * An event with what the filters match it on besides its own fields: the service and node it concerns (for a task
 * event, the task's service and node), by id and by name. Index and time are set when its transaction commits.
 */
export interface EventRecord {
  readonly event: Event;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly nodeId: string;
  readonly nodeName: string;
}

/** An event before its commit: everything but index and time. */
export interface DerivedEvent {
  type: EventType;
  action: EventAction;
  id: string;
  name: string;
  attributes: Record<string, string>;
  serviceId: string;
  serviceName: string;
  nodeId: string;
  nodeName: string;
  /** When the change was made (the object's meta.updatedAt, set by the leader); 0 for a removal, which has none. */
  madeAt: number;
}

type Change = Exclude<StoreEvent, { kind: 'commit' }>;

/**
 * The event a committed store change makes, or none: clusters make none, a node update only when its hostname,
 * state, availability or role changed, a task update only when its observed state, desired state, node or health
 * changed (not for every status message), a service update when its spec, previous spec or update state changed.
 * `tx` is the store after the whole transaction was applied (for the hostname of a task's node).
 */
export function deriveEvent(change: Change, tx: Pick<ReadTx, 'get'>): DerivedEvent | undefined {
  const action: EventAction = change.kind === 'delete' ? 'remove' : change.kind;
  const old = change.kind === 'update' ? change.old : undefined;
  const madeAt = change.kind === 'delete' ? 0 : change.object.meta.updatedAt;
  switch (change.table) {
    case 'services': return serviceEvent(change.object as Service, old as Service | undefined, action, madeAt);
    case 'nodes': return nodeEvent(change.object as Node, old as Node | undefined, action, madeAt);
    case 'tasks': return taskEvent(change.object as Task, old as Task | undefined, action, madeAt, tx);
    default: return undefined;
  }
}

function serviceEvent(s: Service, old: Service | undefined, action: EventAction, madeAt: number): DerivedEvent | undefined {
  const state = s.updateStatus?.state ?? '';
  const oldState = old?.updateStatus?.state ?? '';
  if (old && state === oldState && JSON.stringify(old.spec) === JSON.stringify(s.spec)
    && JSON.stringify(old.previousSpec) === JSON.stringify(s.previousSpec)) return undefined;
  const name = s.spec.annotations.name;
  const attributes: Record<string, string> = { name, image: s.spec.task.container.image };
  if (old && state !== oldState) {
    attributes['updatestate.old'] = oldState;
    attributes['updatestate.new'] = state;
  }
  return { type: 'service', action, id: s.id, name, attributes, serviceId: s.id, serviceName: name, nodeId: '', nodeName: '', madeAt };
}

const NODE_FIELDS: ReadonlyArray<[string, (n: Node) => string]> = [
  ['hostname', (n) => n.description.hostname],
  ['state', (n) => n.status.state],
  ['availability', (n) => n.spec.availability],
  ['role', (n) => n.spec.role],
];

function nodeEvent(n: Node, old: Node | undefined, action: EventAction, madeAt: number): DerivedEvent | undefined {
  const attributes: Record<string, string> = {};
  let changed = !old;
  for (const [key, get] of NODE_FIELDS) {
    attributes[key] = get(n);
    if (old && get(old) !== get(n)) {
      attributes[`${key}.old`] = get(old);
      changed = true;
    }
  }
  if (!changed) return undefined;
  const name = n.description.hostname;
  attributes['name'] = name;
  return { type: 'node', action, id: n.id, name, attributes, serviceId: '', serviceName: '', nodeId: n.id, nodeName: name, madeAt };
}

function taskEvent(t: Task, old: Task | undefined, action: EventAction, madeAt: number, tx: Pick<ReadTx, 'get'>): DerivedEvent | undefined {
  if (old && old.status.state === t.status.state && old.desiredState === t.desiredState && old.nodeId === t.nodeId
    && (old.status.health ?? '') === (t.status.health ?? '')) return undefined;
  const serviceName = t.serviceName || tx.get('services', t.serviceId)?.spec.annotations.name || '';
  const name = eventTaskName(t, serviceName);
  const attributes: Record<string, string> = {
    name,
    service: serviceName || t.serviceId,
    state: t.status.state.toLowerCase(),
    desired: t.desiredState.toLowerCase(),
  };
  if (t.slot > 0) attributes['slot'] = String(t.slot);
  if (t.nodeId) attributes['node'] = t.nodeId;
  if (t.status.err) attributes['err'] = t.status.err;
  if (t.status.health) attributes['health'] = t.status.health;
  if (old && old.status.state !== t.status.state) attributes['state.old'] = old.status.state.toLowerCase();
  if (old && old.desiredState !== t.desiredState) attributes['desired.old'] = old.desiredState.toLowerCase();
  if (old && old.nodeId !== t.nodeId && old.nodeId) attributes['node.old'] = old.nodeId;
  const nodeName = t.nodeId ? tx.get('nodes', t.nodeId)?.description.hostname ?? '' : '';
  return { type: 'task', action, id: t.id, name, attributes, serviceId: t.serviceId, serviceName, nodeId: t.nodeId, nodeName, madeAt };
}

/** A task's name as docker shows it: `web.1` for a replicated task, `web.<node id>` for a global one (slot 0). */
export function eventTaskName(t: Pick<Task, 'serviceId' | 'slot' | 'nodeId'>, serviceName: string): string {
  return `${serviceName || t.serviceId}.${t.slot > 0 ? t.slot : t.nodeId}`;
}
