import { GrpcStatus, leaderMetadata, type AgentMessage, type ManagerMessageInput, type ServerDuplexStream } from '@shoal/api';

/**
 * Ends an agent's Session on a manager that is not the leader: UNAVAILABLE, with the leader's address in the
 * trailers (shoal-leader-addr) so the agent reconnects there at once. leaderAddr is '' while no leader is known;
 * the agent then tries the other managers it knows.
 */
export function refuseNotLeader(call: ServerDuplexStream<AgentMessage, ManagerMessageInput>, leaderAddr: string): void {
  const details = leaderAddr ? `this manager is not the leader (the leader is at ${leaderAddr})` : 'this manager is not the leader (no leader is known)';
  call.emit('error', { code: GrpcStatus.UNAVAILABLE, details, message: details, metadata: leaderMetadata(leaderAddr) });
}
