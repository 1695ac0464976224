// How an Events stream says that its manager no longer keeps some of the events asked for: shared by both ends.
import { Metadata } from '@grpc/grpc-js';

/** Header of an Events stream whose replay is incomplete: the time (unix ms) of the oldest event its manager keeps. */
export const EVENTS_KEPT_SINCE_KEY = 'shoal-events-kept-since';

/** The stream's headers: with the notice when events asked for were dropped (`keptSince` given). */
export function eventsMetadata(keptSince?: number): Metadata {
  const metadata = new Metadata();
  if (keptSince !== undefined) metadata.set(EVENTS_KEPT_SINCE_KEY, String(keptSince));
  return metadata;
}

/** From a stream's headers: since when its manager keeps events, when some asked for were dropped. */
export function eventsKeptSince(metadata: Metadata | undefined): number | undefined {
  const [value] = metadata?.get(EVENTS_KEPT_SINCE_KEY) ?? [];
  const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(ms) ? ms : undefined;
}
