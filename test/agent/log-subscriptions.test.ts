import { describe, expect, it } from 'vitest';
import { FakeClock, NotFoundError, type LogSubscription, type Task } from '@shoal/api';
import type { Executor, LogEntry, LogQuery } from '../../packages/agent/src/exec/executor.js';
import { LogSubscriptions } from '../../packages/agent/src/log-subscriptions.js';
import { makeTask, settle, silentLogger } from './helpers.js';

type Batch = { subscriptionId?: string; lines?: { taskId?: string; line?: string }[]; done?: boolean; error?: string };

/** Logs from memory: each task has lines; a following query then waits until aborted. */
function fakeExecutor(lines: Record<string, string[]>, queries: LogQuery[] = []): Executor {
  return {
    controller: () => { throw new Error('not used'); },
    removeOrphans: async () => undefined,
    async logs(task: Task, query: LogQuery, onEntry: (e: LogEntry) => void, signal: AbortSignal) {
      queries.push(query);
      const own = lines[task.id];
      if (!own) throw new NotFoundError(`No such container: ${task.id}`);
      for (const line of own) onEntry({ stream: 'stdout', timestampNs: 1, line });
      if (query.follow) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    },
  };
}

function setup(lines: Record<string, string[]>, connected = true) {
  const clock = new FakeClock();
  const sent: Batch[] = [];
  const tasks = new Map(Object.keys(lines).concat('gone').map((id) => [id, makeTask({ id })]));
  const queries: LogQuery[] = [];
  const subs = new LogSubscriptions({
    nodeId: () => 'node1',
    task: (id) => tasks.get(id),
    executor: () => fakeExecutor(lines, queries),
    send: (b) => { if (connected) sent.push(b as Batch); return connected; },
    clock,
    logger: silentLogger,
  });
  return { clock, sent, subs, queries };
}

const sub = (over: Partial<LogSubscription>): LogSubscription => ({ id: 's1', taskIds: [], follow: false, tail: -1, since: 0, cancel: false, ...over });

describe('log subscriptions', () => {
  it('sends the lines of every task, then done', async () => {
    const { sent, subs, queries } = setup({ a: ['a1', 'a2'], b: ['b1'] });
    subs.handle(sub({ taskIds: ['a', 'b'], tail: 10, since: 5 }));
    await settle();
    expect(sent.flatMap((b) => b.lines ?? []).map((l) => `${l.taskId}:${l.line}`).sort()).toEqual(['a:a1', 'a:a2', 'b:b1']);
    expect(sent.at(-1)).toEqual({ subscriptionId: 's1', done: true, error: '' });
    expect(queries).toEqual([{ follow: false, tail: 10, since: 5 }, { follow: false, tail: 10, since: 5 }]);
  });

  it('batches the lines of a following subscription per window, and ends with done on cancel', async () => {
    const { clock, sent, subs } = setup({ a: ['a1', 'a2', 'a3'] });
    subs.handle(sub({ taskIds: ['a'], follow: true }));
    await settle();
    expect(sent).toEqual([]);
    clock.advance(50);
    expect(sent).toEqual([{ subscriptionId: 's1', lines: [
      { taskId: 'a', nodeId: 'node1', stream: 'stdout', timestampNs: 1, line: 'a1' },
      { taskId: 'a', nodeId: 'node1', stream: 'stdout', timestampNs: 1, line: 'a2' },
      { taskId: 'a', nodeId: 'node1', stream: 'stdout', timestampNs: 1, line: 'a3' },
    ] }]);
    subs.handle(sub({ cancel: true, taskIds: [] }));
    await settle();
    expect(sent.at(-1)).toEqual({ subscriptionId: 's1', done: true, error: '' });
  });

  it('reports tasks without a container or not on this node in done\'s error, and still streams the others', async () => {
    const { sent, subs } = setup({ a: ['a1'] });
    subs.handle(sub({ taskIds: ['a', 'gone', 'elsewhere'] }));
    await settle();
    expect(sent.flatMap((b) => b.lines ?? []).map((l) => l.line)).toEqual(['a1']);
    const done = sent.at(-1)!;
    expect(done.done).toBe(true);
    expect(done.error).toContain('task gone has no container');
    expect(done.error).toContain('task elsewhere is not assigned to this node');
  });
});
