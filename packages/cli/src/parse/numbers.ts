import { InvalidArgumentError } from '@shoal/api';

/** Parses a non-negative integer flag ("3"); rejects "-1", "abc", "1.5", "". */
export function parseNonNegativeInt(text: string, what: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`invalid ${what} value "${text}": must be a non-negative integer`);
  }
  return n;
}

export function parseReplicas(text: string): number {
  return parseNonNegativeInt(text, 'replicas');
}

/** Parses a TCP/UDP port number, 1-65535. */
export function parsePort(text: string, what: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > 65535) {
    throw new InvalidArgumentError(`invalid ${what} "${text}": use a port number from 1 to 65535`);
  }
  return n;
}
