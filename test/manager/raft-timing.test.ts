// A cluster's Raft timing: the defaults of the issue, and one clear line for every impossible setting.
import { describe, expect, it } from 'vitest';
import { checkRaftTiming, DEFAULT_RAFT_TIMING, timingOrDefault } from '../../packages/manager/src/raft-timing.js';

describe('raft timing', () => {
  it('defaults to tick 100ms, heartbeat 1 tick, election 10 ticks, also for a cluster that kept none', () => {
    expect(DEFAULT_RAFT_TIMING).toEqual({ tickMs: 100, heartbeatTicks: 1, electionTicks: 10 });
    expect(timingOrDefault(undefined)).toEqual(DEFAULT_RAFT_TIMING);
    expect(timingOrDefault({ tickMs: 0, heartbeatTicks: 0, electionTicks: 0 })).toEqual(DEFAULT_RAFT_TIMING);
    expect(timingOrDefault({ tickMs: 50, heartbeatTicks: 2, electionTicks: 20 })).toEqual({ tickMs: 50, heartbeatTicks: 2, electionTicks: 20 });
  });

  it('accepts sane settings and refuses impossible ones, saying what is accepted', () => {
    expect(checkRaftTiming({ tickMs: 10, heartbeatTicks: 1, electionTicks: 2 })).toBeDefined();
    const refusal = (t: { tickMs: number; heartbeatTicks: number; electionTicks: number }) => {
      try { checkRaftTiming(t); return undefined; } catch (err) { return (err as Error).message; }
    };
    expect(refusal({ tickMs: 5, heartbeatTicks: 1, electionTicks: 10 })).toBe('invalid raft tick 5ms: use 10ms to 10s');
    expect(refusal({ tickMs: 20_000, heartbeatTicks: 1, electionTicks: 10 })).toBe('invalid raft tick 20000ms: use 10ms to 10s');
    expect(refusal({ tickMs: 100, heartbeatTicks: 0, electionTicks: 10 })).toBe('invalid raft heartbeat ticks 0: use 1 to 100');
    expect(refusal({ tickMs: 100, heartbeatTicks: 3, electionTicks: 5 })).toBe('invalid raft election ticks 5: use 6 (twice the heartbeat ticks) to 1000');
    expect(refusal({ tickMs: 100, heartbeatTicks: 1, electionTicks: 1001 })).toBe('invalid raft election ticks 1001: use 2 (twice the heartbeat ticks) to 1000');
  });
});
