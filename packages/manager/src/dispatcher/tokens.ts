import { createHash, timingSafeEqual } from 'node:crypto';
import { newSecret, type Rand } from '@shoal/api';

/** A join token names the cluster it belongs to and carries a secret: SHTKN-1-<cluster>-<secret>. */
export function newJoinToken(clusterId: string, rand: Rand): string {
  return `SHTKN-1-${clusterId}-${newSecret(rand, 16)}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares in constant time, so a wrong token reveals nothing about the right one. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
