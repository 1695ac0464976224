import { InvalidArgumentError, type EventsRequest } from '@shoal/api';
import { parseChoice } from './choice.js';
import { parseFilters } from './filter.js';
import { parseSince } from './logs.js';

export const EVENT_FILTER_KEYS = ['type', 'service', 'node', 'event'] as const;
export const EVENT_TYPES = ['service', 'node', 'task'] as const;
export const EVENT_ACTIONS = ['create', 'update', 'remove'] as const;

/**
 * The Events request of `shoal events`' flags: --filter type=…|service=…|node=…|event=… (values of one key ORed,
 * keys ANDed, as docker) and --since (a duration before `now`, an RFC 3339 time or unix seconds). Bad input is refused
 * with one line naming what is accepted.
 */
export function eventsRequest(filters: readonly string[], since: string | undefined, now: number): EventsRequest {
  const f = parseFilters(filters, EVENT_FILTER_KEYS);
  const values = (key: string) => [...new Set(f.get(key) ?? [])];
  const nonEmpty = (key: string) => values(key).map((v) => {
    if (v.trim() === '') throw new InvalidArgumentError(`invalid filter "${key}=": give a ${key} id or name`);
    return v.trim();
  });
  return {
    since: since === undefined ? 0 : parseSince(since, now),
    afterIndex: 0,
    types: values('type').map((t) => parseChoice(t, EVENT_TYPES, 'event type')),
    actions: values('event').map((a) => parseChoice(a, EVENT_ACTIONS, 'event')),
    services: nonEmpty('service'),
    nodes: nonEmpty('node'),
  };
}
