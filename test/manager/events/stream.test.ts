// The ring's replay (after an index, since a time), the filters, and the Events handler's stream: replay then live,
// bad requests refused, no subscriber left behind when the client goes.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { eventsKeptSince, FakeClock, GrpcStatus, type Event, type EventsRequest } from '@shoal/api';
import type { Metadata, ServerWritableStream } from '@grpc/grpc-js';
import { MemoryStore } from '../../../packages/manager/src/store/index.js';
import { EventLog, EventRing, eventQuery, matchesQuery, type EventRecord } from '../../../packages/manager/src/events/index.js';
import { eventHandlers } from '../../../packages/manager/src/controlapi/events.js';
import type { ControlComponents } from '../../../packages/manager/src/controlapi/components.js';
import { LocalProposer } from '../store/local-proposer.js';
import { node, service, task } from './fixtures.js';

function record(index: number, over: Partial<Event> = {}, rest: Partial<Omit<EventRecord, 'event'>> = {}): EventRecord {
  return {
    event: { index, time: index, type: 'task', action: 'update', id: `t${index}`, name: `web.${index}`, attributes: {}, ...over },
    serviceId: 'svc123', serviceName: 'web', nodeId: 'node77', nodeName: 'host-a', ...rest,
  };
}

const request = (over: Partial<EventsRequest> = {}): EventsRequest => ({ since: 0, afterIndex: 0, types: [], services: [], nodes: [], actions: [], ...over });

describe('EventRing', () => {
  it('keeps the latest events in order and finds those after an index', () => {
    const ring = new EventRing(4);
    for (const i of [10, 20, 30, 40, 50, 60]) ring.push(record(i));
    expect([...ring.records()].map((r) => r.event.index)).toEqual([30, 40, 50, 60]);
    expect([...ring.after(0)].map((r) => r.event.index)).toEqual([30, 40, 50, 60]);
    expect([...ring.after(40)].map((r) => r.event.index)).toEqual([50, 60]);
    expect([...ring.after(45)].map((r) => r.event.index)).toEqual([50, 60]);
    expect([...ring.after(60)]).toEqual([]);
    expect(new EventRing(2).oldest()).toBeUndefined();
  });

  it('knows whether it dropped events after an index, or since a time', () => {
    const ring = new EventRing(3);
    for (const i of [10, 20, 30]) ring.push(record(i));
    expect(ring.droppedAfter(5, 0)).toBe(false); // full, but nothing dropped yet
    for (const i of [40, 50]) ring.push(record(i)); // 10 and 20 dropped (time = index here)
    expect(ring.droppedAfter(5, 0)).toBe(true);
    expect(ring.droppedAfter(19, 0)).toBe(true);
    expect(ring.droppedAfter(20, 0)).toBe(false);
    expect(ring.droppedAfter(0, 20)).toBe(true);
    expect(ring.droppedAfter(0, 21)).toBe(false);
    expect(ring.droppedAfter(0, 0)).toBe(false); // live only: nothing asked for from before
  });
});

describe('event filters', () => {
  it('matches a service by id, id prefix or name and a node by id, prefix or hostname; keys ANDed, values ORed', () => {
    const r = record(1);
    const m = (req: Partial<EventsRequest>) => matchesQuery(r, eventQuery(request(req)));
    expect(m({})).toBe(true);
    expect(m({ services: ['web'] })).toBe(true);
    expect(m({ services: ['svc1'] })).toBe(true);
    expect(m({ services: ['svc123'] })).toBe(true);
    expect(m({ services: ['api', 'web'] })).toBe(true);
    expect(m({ services: ['api'] })).toBe(false);
    expect(m({ nodes: ['host-a'] })).toBe(true);
    expect(m({ nodes: ['node7'] })).toBe(true);
    expect(m({ nodes: ['host-b'] })).toBe(false);
    expect(m({ types: ['service', 'task'], actions: ['update'] })).toBe(true);
    expect(m({ types: ['node'] })).toBe(false);
    expect(m({ actions: ['create', 'remove'] })).toBe(false);
    expect(m({ services: ['web'], nodes: ['host-b'] })).toBe(false);
    // A node event has no service: a service filter leaves it out.
    expect(matchesQuery(record(2, { type: 'node' }, { serviceId: '', serviceName: '' }), eventQuery(request({ services: ['web'] })))).toBe(false);
  });

  it('refuses an unknown type or action with the accepted words', () => {
    expect(() => eventQuery(request({ types: ['container'] }))).toThrow('invalid event type "container": use service, node, task');
    expect(() => eventQuery(request({ actions: ['start'] }))).toThrow('invalid event "start": use create, update, remove');
  });
});

class FakeCall extends EventEmitter {
  cancelled = false;
  writableLength = 0;
  readonly written: Event[] = [];
  ended = false;
  error: { code?: number; details?: string } | undefined;
  metadataSent = 0;
  keptSince: number | undefined;
  /** How many events were written when the headers went. */
  writtenAtHeaders = -1;
  constructor(readonly request: EventsRequest) {
    super();
    this.on('error', (e: { code?: number; details?: string }) => { this.error = e; });
  }
  write(e: Event): boolean { this.written.push(e); return true; }
  end(): void { this.ended = true; }
  sendMetadata(metadata: Metadata): void {
    this.metadataSent++;
    this.writtenAtHeaders = this.written.length;
    this.keptSince = eventsKeptSince(metadata);
  }
  cancel(): void { this.cancelled = true; this.emit('cancelled'); }
}

/** An event log keeping `capacity` events on a fresh store, and its Events handler. */
function eventServer(capacity: number) {
  const clock = new FakeClock(1_000);
  const store = new MemoryStore(new LocalProposer(), clock);
  const log = new EventLog(store, capacity, clock);
  log.start();
  const handler = eventHandlers({ events: log } as unknown as ControlComponents).Events;
  const open = (req: Partial<EventsRequest>) => {
    const call = new FakeCall(request(req));
    handler(call as unknown as ServerWritableStream<EventsRequest, Event>);
    return call;
  };
  return { clock, store, log, open };
}

async function serving() {
  const { clock, store, log, open } = eventServer(100);
  await store.update((tx) => tx.create('nodes', node('n1', 'host-1')));
  clock.advance(1_000);
  await store.update((tx) => { tx.create('services', service('s1', 'web')); tx.create('tasks', task('t1', 's1', 'web', 1, 'n1')); });
  clock.advance(1_000);
  await store.update((tx) => { tx.create('services', service('s2', 'api')); tx.create('tasks', task('t2', 's2', 'api', 1, 'n1')); });
  return { clock, store, log, open };
}

describe('Events handler', () => {
  it('sends only new events by default, filtered, until the client cancels; then it leaves no subscriber', async () => {
    const { store, log, open } = await serving();
    const call = open({ services: ['web'] });
    expect(call.written).toEqual([]);
    expect(call.metadataSent).toBe(1);
    await store.update((tx) => { tx.delete('tasks', 't1'); tx.delete('tasks', 't2'); });
    expect(call.written.map((e) => `${e.type} ${e.action} ${e.name}`)).toEqual(['task remove web.1']);
    expect(log.subscriberCount).toBe(1);
    call.cancel();
    expect(log.subscriberCount).toBe(0);
    await store.update((tx) => tx.delete('services', 's1'));
    expect(call.written).toHaveLength(1);
  });

  it('replays the events since a time, or after an index, then the live ones', async () => {
    const { store, open } = await serving();
    const since = open({ since: 2_000, types: ['task'] });
    expect(since.written.map((e) => e.name)).toEqual(['web.1', 'api.1']);
    const all = open({ since: 1 });
    expect(all.written.map((e) => e.name)).toEqual(['host-1', 'web', 'web.1', 'api', 'api.1']);
    const after = open({ afterIndex: all.written[2]!.index });
    expect(after.written.map((e) => e.name)).toEqual(['api', 'api.1']);
    await store.update((tx) => tx.delete('tasks', 't2'));
    expect(after.written.map((e) => `${e.action} ${e.name}`).slice(2)).toEqual(['remove api.1']);
    expect(since.written.map((e) => `${e.action} ${e.name}`).slice(2)).toEqual(['remove api.1']);
  });

  it('says in its headers, before any event, when events asked for are no longer kept', async () => {
    const { clock, store, log, open: openCall } = eventServer(2);
    const open = (req: Partial<EventsRequest>) => {
      const call = openCall(req);
      expect(call.writtenAtHeaders).toBe(0);
      return call;
    };
    for (const [id, name] of [['s1', 'a'], ['s2', 'b'], ['s3', 'c']] as const) {
      await store.update((tx) => tx.create('services', service(id, name)));
      clock.advance(1_000);
    }
    // Kept: b (at 2,000) and c (at 3,000); a (at 1,000) is dropped.
    const since = open({ since: 500 });
    expect(since.keptSince).toBe(2_000);
    expect(since.written.map((e) => e.name)).toEqual(['b', 'c']);
    expect(open({ since: 1_500 }).keptSince).toBeUndefined();
    const first = [...log.ring.records()][0]!.event.index;
    expect(open({ afterIndex: 1 }).keptSince).toBe(2_000); // a client that printed nothing of a: it is missing
    expect(open({ afterIndex: first - 1 }).keptSince).toBeUndefined(); // one that printed a: nothing after it is missing
    expect(open({}).keptSince).toBeUndefined();
  });

  it('refuses a bad request with INVALID_ARGUMENT and ends every stream when the manager stops', async () => {
    const { log, open } = await serving();
    const bad = open({ types: ['volume'] });
    expect(bad.error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(log.subscriberCount).toBe(0);
    const live = open({});
    log.stop();
    expect(live.error?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(log.subscriberCount).toBe(0);
  });

  it('ends a stream whose client does not read, rather than buffering without bound', async () => {
    const { store, log, open } = await serving();
    const call = open({});
    call.writableLength = 64 << 20;
    await store.update((tx) => tx.delete('tasks', 't1'));
    expect(call.error?.code).toBe(GrpcStatus.UNAVAILABLE);
    expect(log.subscriberCount).toBe(0);
  });
});
