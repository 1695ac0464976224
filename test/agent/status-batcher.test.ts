import { describe, expect, it } from 'vitest';
import { FakeClock, seededRand, type TaskStatusUpdate } from '@shoal/api';
import { Backoff } from '../../packages/agent/src/backoff.js';
import { StatusBatcher } from '../../packages/agent/src/status-batcher.js';
import { status } from './helpers.js';

describe('status batcher', () => {
  it('coalesces a window of changes into one message, the latest status per task winning', () => {
    const clock = new FakeClock();
    const sent: TaskStatusUpdate[][] = [];
    const batcher = new StatusBatcher(clock, (updates) => sent.push(updates), 50);
    batcher.add('t1', status('PREPARING'));
    batcher.add('t2', status('ACCEPTED'));
    clock.advance(30);
    batcher.add('t1', status('RUNNING'));
    expect(sent).toEqual([]);
    clock.advance(20);
    expect(sent).toEqual([[{ taskId: 't1', status: status('RUNNING') }, { taskId: 't2', status: status('ACCEPTED') }]]);
    expect(clock.pending()).toBe(0);
  });

  it('opens a new window after a flush, and sends nothing when idle', () => {
    const clock = new FakeClock();
    const sent: TaskStatusUpdate[][] = [];
    const batcher = new StatusBatcher(clock, (updates) => sent.push(updates), 50);
    clock.advance(500);
    expect(sent).toEqual([]);
    batcher.add('t1', status('RUNNING'));
    clock.advance(50);
    batcher.add('t1', status('COMPLETE'));
    clock.advance(50);
    expect(sent.map((b) => b.map((u) => u.status.state))).toEqual([['RUNNING'], ['COMPLETE']]);
  });

  it('stop drops what is pending and cancels its timer', () => {
    const clock = new FakeClock();
    const sent: TaskStatusUpdate[][] = [];
    const batcher = new StatusBatcher(clock, (updates) => sent.push(updates));
    batcher.add('t1', status('RUNNING'));
    batcher.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(1_000);
    expect(sent).toEqual([]);
  });
});

describe('reconnect backoff', () => {
  it('doubles from 200 ms up to a 2 s cap, each delay jittered within [ceiling/2, ceiling]', () => {
    const backoff = new Backoff(seededRand(7));
    const ceilings = [200, 400, 800, 1_600, 2_000, 2_000, 2_000];
    for (const ceiling of ceilings) {
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(200);
  });

  it('is deterministic for a seed', () => {
    const a = new Backoff(seededRand(1));
    const b = new Backoff(seededRand(1));
    expect([a.next(), a.next(), a.next()]).toEqual([b.next(), b.next(), b.next()]);
  });
});
