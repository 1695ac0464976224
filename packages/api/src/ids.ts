import { randomBytes } from 'node:crypto';

/** Source of randomness; tests pass a seeded one. */
export interface Rand {
  bytes(n: number): Uint8Array;
}
export const systemRand: Rand = { bytes: (n) => randomBytes(n) };

/** A seeded generator (mulberry32) for deterministic tests and simulations. */
export function seededRand(seed: number): Rand {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { bytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)) };
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A 25-character lower-case id, as swarm's object ids. */
export function newId(rand: Rand = systemRand): string {
  const b = rand.bytes(25);
  let id = '';
  for (const x of b) id += ALPHABET[x % 36];
  return id;
}

export function newSecret(rand: Rand = systemRand, bytes = 24): string {
  return Buffer.from(rand.bytes(bytes)).toString('hex');
}
