import { InvalidArgumentError, parseDuration } from '@shoal/api';
import { parseNonNegativeInt } from './numbers.js';

/** Parses --tail: "all" means every line (-1 on the wire), otherwise a line count. */
export function parseTail(text: string): number {
  if (text === 'all') return -1;
  try {
    return parseNonNegativeInt(text, 'tail');
  } catch {
    throw new InvalidArgumentError(`invalid tail value "${text}": use a number of lines or "all"`);
  }
}

/**
 * Parses --since as docker does: a relative Go duration ("42m": that long before now), an RFC 3339 date
 * ("2013-01-02T13:23:37Z") or unix seconds ("1700000000.5"). Returns unix ms.
 */
export function parseSince(text: string, now: number): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  } else {
    try {
      return now - parseDuration(t);
    } catch { /* falls through to the combined message */ }
  }
  throw new InvalidArgumentError(
    `invalid since "${text}": use a duration (42m), an RFC 3339 time (2013-01-02T13:23:37Z) or unix seconds`);
}
