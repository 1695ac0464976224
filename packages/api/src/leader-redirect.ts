// How a manager that is not the leader sends an agent to the one that is: shared by both ends of the session.
import { Metadata } from '@grpc/grpc-js';

/** Trailing metadata of a follower's UNAVAILABLE answer: the leader's host:port. */
export const LEADER_ADDR_KEY = 'shoal-leader-addr';

/** The trailers naming the leader; empty when no leader is known. */
export function leaderMetadata(leaderAddr: string): Metadata {
  const metadata = new Metadata();
  if (leaderAddr) metadata.set(LEADER_ADDR_KEY, leaderAddr);
  return metadata;
}

/** The leader a refused call was sent to, if its answer named one. */
export function leaderAddrOf(err: unknown): string | undefined {
  const metadata = err && typeof err === 'object' && 'metadata' in err ? err.metadata : undefined;
  if (!(metadata instanceof Metadata)) return undefined;
  const [value] = metadata.get(LEADER_ADDR_KEY);
  return typeof value === 'string' && value ? value : undefined;
}
