import {
  call, FailedPreconditionError, grpcCode, grpcErrorMessage, GrpcStatus, InvalidArgumentError, raftMembershipClient,
  type Clock, type RaftJoinRequest, type RaftJoinResponse,
} from '@shoal/api';

const TOKEN = /^SHTKN-1-([0-9a-z]+)-([0-9a-f]+)$/;
/** Answers that may change by themselves: no leader yet, an election, a membership change under way. */
const RETRIED = new Set<number>([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED]);
const ATTEMPT_TIMEOUT_MS = 15_000;
const RETRY_MS = 500;

/** The cluster a join token belongs to (SHTKN-1-<cluster>-<secret>). */
export function clusterOfToken(token: string): string {
  const m = TOKEN.exec(token);
  if (!m) throw new InvalidArgumentError('invalid join token: a token looks like SHTKN-1-<cluster>-<secret> (shoal join-token manager -q)');
  return m[1]!;
}

/**
 * Asks the manager at `target` (any manager: followers forward to the leader) to add this manager as a voter.
 * Retries while the cluster cannot answer yet, for up to `patienceMs`; a refusal (token, address) is final.
 */
export async function requestJoin(target: string, req: RaftJoinRequest, clock: Clock, patienceMs = 30_000): Promise<RaftJoinResponse> {
  const client = raftMembershipClient(target);
  const giveUpAt = clock.now() + patienceMs;
  try {
    for (;;) {
      try {
        return await call(client.join.bind(client), req, ATTEMPT_TIMEOUT_MS);
      } catch (err) {
        const code = grpcCode(err);
        if (code === undefined || !RETRIED.has(code) || clock.now() >= giveUpAt) {
          throw new FailedPreconditionError(`cannot join the cluster through ${target}: ${grpcErrorMessage(err)}`);
        }
      }
      await new Promise<void>((resolve) => clock.setTimeout(resolve, RETRY_MS));
    }
  } finally {
    client.close();
  }
}
