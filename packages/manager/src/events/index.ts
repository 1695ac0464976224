export { EventLog, INDEX_STRIDE, type EventSubscriber } from './event-log.js';
export { EventRing } from './ring.js';
export { deriveEvent, eventTaskName, EVENT_ACTIONS, EVENT_TYPES, type EventRecord, type DerivedEvent, type EventAction, type EventType } from './derive.js';
export { eventQuery, matchesQuery, replays, type EventQuery } from './query.js';
