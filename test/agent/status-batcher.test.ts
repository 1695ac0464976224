import { describe, expect, it } from 'vitest';
import { FakeClock, seededRand, type TaskStatusUpdate } from '@shoal/api';
import { Backoff } from '../../packages/agent/src/backoff.js';
import { StatusBatcher } from '../../packages/agent/src/status-batcher.js';
import { status } from './helpers.js';

describe('status batcher', () => {
  it('sends a change after a quiet window at once, then coalesces the window that follows, the latest status per task winning', () => {
    const clock = new FakeClock();
    const sent: TaskStatusUpdate[][] = [];
    const batcher = new StatusBatcher(clock, (updates) => sent.push(updates), 50);
    batcher.add('t1', status('PREPARING'));
    expect(sent).toEqual([[{ taskId: 't1', status: status('PREPARING') }]]);
    batcher.add('t2', status('ACCEPTED'));
    clock.advance(30);
    batcher.add('t1', status('STARTING'));
    expect(sent).toHaveLength(1);
    clock.advance(20);
    expect(sent[1]).toEqual([{ taskId: 't2', status: status('ACCEPTED') }, { taskId: 't1', status: status('STARTING') }]);
    // The window after a batch stays open: nothing came, so the batcher goes quiet.
    clock.advance(50);
    expect(sent).toHaveLength(2);
    expect(clock.pending()).toBe(0);
  });

  it('sends at most one message per window under a steady stream, and nothing when idle', () => {
    const clock = new FakeClock();
    const sent: TaskStatusUpdate[][] = [];
    const batcher = new StatusBatcher(clock, (updates) => sent.push(updates), 50);
    clock.advance(500);
    expect(sent).toEqual([]);
    for (let i = 0; i < 20; i++) { batcher.add(`t${i}`, status('PREPARING')); clock.advance(10); }
    // 200 ms of changes every 10 ms: the first at once, then one batch per 50 ms window.
    expect(sent.map((b) => b.length)).toEqual([1, 4, 5, 5, 5]);
    clock.advance(50);
    expect(sent.map((b) => b.length)).toEqual([1, 4, 5, 5, 5]);
    expect(clock.pending()).toBe(0);
  });

  it.each(['RUNNING', 'COMPLETE', 'FAILED', 'SHUTDOWN'] as const)('sends a task %s at once inside a window, with what is pending', (state) => {
    const clock = new FakeClock();
    const sent: TaskStatusUpdate[][] = [];
    const batcher = new StatusBatcher(clock, (updates) => sent.push(updates), 50);
    batcher.add('t1', status('PREPARING'));
    clock.advance(10);
    batcher.add('t2', status('READY'));
    batcher.add('t3', status(state));
    expect(sent.map((b) => b.map((u) => `${u.taskId}:${u.status.state}`))).toEqual([['t1:PREPARING'], ['t2:READY', `t3:${state}`]]);
    // The window goes on: a state before RUNNING that follows still waits for its end.
    batcher.add('t4', status('STARTING'));
    expect(sent).toHaveLength(2);
    clock.advance(40);
    expect(sent.map((b) => b.length)).toEqual([1, 2, 1]);
  });

  it('stop drops what is pending and cancels its timer', () => {
    const clock = new FakeClock();
    const sent: TaskStatusUpdate[][] = [];
    const batcher = new StatusBatcher(clock, (updates) => sent.push(updates));
    batcher.add('t1', status('PREPARING'));
    batcher.add('t2', status('PREPARING'));
    batcher.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(1_000);
    expect(sent.map((b) => b.map((u) => u.taskId))).toEqual([['t1']]);
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
