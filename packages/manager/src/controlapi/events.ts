import { eventsMetadata, toServiceError, UnavailableError, type Event, type EventsRequest } from '@shoal/api';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ControlComponents } from './components.js';
import { eventQuery, matchesQuery, replays, type EventQuery, type EventRecord } from '../events/index.js';

/**
 * A stream with this many events waiting for a client that does not read (grpc-js queues messages, its writable
 * length counts them) is ended with UNAVAILABLE: memory stays bounded (the events are shared with the ring, a few
 * hundred bytes each), and the client resumes after the last index it read, from what the ring still holds.
 */
const MAX_QUEUED_EVENTS = 100_000;

/**
 * Events: the ring's events matching the request (after its index, else since its time), then the live ones, all
 * filtered here. Every manager serves it from its own event log (the router does not forward it), so a stream from
 * a follower flows through a change of leader.
 */
export function eventHandlers(c: ControlComponents) {
  return {
    Events: (call: ServerWritableStream<EventsRequest, Event>) => {
      let q: EventQuery;
      try {
        q = eventQuery(call.request);
      } catch (err) {
        call.emit('error', toServiceError(err));
        return;
      }
      let unsubscribe: (() => void) | undefined;
      let ended = false;
      const end = (err?: Error) => {
        if (ended) return;
        ended = true;
        unsubscribe?.();
        if (call.cancelled) return;
        if (err) call.emit('error', toServiceError(err));
        else call.end();
      };
      const send = (r: EventRecord) => {
        if (ended || call.cancelled || !matchesQuery(r, q)) return;
        call.write(r.event);
        if (call.writableLength > MAX_QUEUED_EVENTS) end(new UnavailableError('the client reads events too slowly: resume after the last index read'));
      };
      // Headers at once, before any event: the client knows its stream is open, and whether its manager still keeps
      // every event it asked for (it keeps the latest N; a client that fell behind, or asked for long ago, is told).
      const ring = c.events.ring;
      if (!call.cancelled) call.sendMetadata(eventsMetadata(ring.droppedAfter(q.afterIndex, q.since) ? ring.oldest()?.event.time : undefined));
      // Replay and subscription in one synchronous run: no event falls between them.
      const replay = q.afterIndex > 0 ? ring.after(q.afterIndex) : q.since > 0 ? ring.records() : [];
      for (const r of replay) if (replays(r, q)) send(r);
      if (ended) return;
      unsubscribe = c.events.subscribe({ event: send, closed: () => end(new UnavailableError('the manager is stopping')) });
      call.on('cancelled', () => end());
      call.on('close', () => end());
    },
  };
}
