import { InvalidArgumentError, type RaftTiming } from '@shoal/api';

/** The defaults: tick 100 ms, heartbeat 1 tick, election 10 ticks — a lost leader costs about a second. */
export const DEFAULT_RAFT_TIMING: RaftTiming = { tickMs: 100, heartbeatTicks: 1, electionTicks: 10 };

/** Checks a cluster's Raft timing; one line says what is wrong and what is accepted. */
export function checkRaftTiming(t: RaftTiming): RaftTiming {
  if (!Number.isInteger(t.tickMs) || t.tickMs < 10 || t.tickMs > 10_000) {
    throw new InvalidArgumentError(`invalid raft tick ${t.tickMs}ms: use 10ms to 10s`);
  }
  if (!Number.isInteger(t.heartbeatTicks) || t.heartbeatTicks < 1 || t.heartbeatTicks > 100) {
    throw new InvalidArgumentError(`invalid raft heartbeat ticks ${t.heartbeatTicks}: use 1 to 100`);
  }
  // A follower must hear several heartbeats per election timeout, or it starts elections against a live leader.
  if (!Number.isInteger(t.electionTicks) || t.electionTicks < 2 * t.heartbeatTicks || t.electionTicks > 1000) {
    throw new InvalidArgumentError(`invalid raft election ticks ${t.electionTicks}: use ${2 * t.heartbeatTicks} (twice the heartbeat ticks) to 1000`);
  }
  return t;
}

/** A stored timing, or the defaults for a cluster founded before timing was kept. */
export function timingOrDefault(t: RaftTiming | undefined | null): RaftTiming {
  return t && t.tickMs > 0 ? t : DEFAULT_RAFT_TIMING;
}
