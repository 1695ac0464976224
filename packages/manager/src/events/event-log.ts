import { systemClock, type Clock } from '@shoal/api';
import type { MemoryStore } from '../store/index.js';
import { deriveEvent, type DerivedEvent, type EventRecord } from './derive.js';
import { EventRing } from './ring.js';

/**
 * Event indexes: the Raft index of the entry that made the change times this, plus the change's position in the
 * entry. Every manager applies the same entries in the same order, so an event has the same index on each of them
 * and a client resumes on another manager after the last index it saw. (An entry would need a million changes to
 * overflow its range; one that did would have its excess events dropped rather than numbered out of order.)
 */
export const INDEX_STRIDE = 1_000_000;

export interface EventSubscriber {
  /** A new event, in index order. */
  event(record: EventRecord): void;
  /** The log stopped (the manager is stopping): no more events come. */
  closed(): void;
}

/**
 * Turns the store's committed changes into events, on every manager (leader or follower: each applies the same
 * committed entries), keeps the latest in a ring and hands new ones to subscribers. A snapshot restored from the
 * leader publishes nothing, so a follower that caught up by a snapshot has no events from before it.
 */
export class EventLog {
  readonly ring: EventRing;
  private readonly subscribers = new Set<EventSubscriber>();
  private pending: DerivedEvent[] = [];
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly store: MemoryStore, capacity = 10_000, private readonly clock: Clock = systemClock) {
    this.ring = new EventRing(capacity);
  }

  /** Subscribes to the store: call before the store applies anything, so no committed change is missed. */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((e) => {
      if (e.kind !== 'commit') {
        const d = deriveEvent(e, this.store);
        if (d) this.pending.push(d);
        return;
      }
      const pending = this.pending;
      this.pending = [];
      if (pending.length) this.commit(pending, e.index);
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const subs = [...this.subscribers];
    this.subscribers.clear();
    for (const s of subs) s.closed();
  }

  /** Adds a subscriber for events from now on; returns its removal. */
  subscribe(s: EventSubscriber): () => void {
    this.subscribers.add(s);
    return () => { this.subscribers.delete(s); };
  }

  get subscriberCount(): number { return this.subscribers.size; }

  private commit(derived: readonly DerivedEvent[], entryIndex: number): void {
    // A removal carries no time of its own: it takes that of the entry's other changes, else the time it is applied.
    let entryTime = 0;
    for (const d of derived) entryTime = Math.max(entryTime, d.madeAt);
    if (entryTime === 0) entryTime = this.clock.now();
    const count = Math.min(derived.length, INDEX_STRIDE);
    for (let pos = 0; pos < count; pos++) {
      const d = derived[pos]!;
      const record: EventRecord = {
        event: {
          index: entryIndex * INDEX_STRIDE + pos, time: d.madeAt || entryTime,
          type: d.type, action: d.action, id: d.id, name: d.name, attributes: d.attributes,
        },
        serviceId: d.serviceId, serviceName: d.serviceName, nodeId: d.nodeId, nodeName: d.nodeName,
      };
      this.ring.push(record);
      for (const s of this.subscribers) s.event(record);
    }
  }
}
