import { NotFoundError, type AgentMessageInput, type Cancel, type Clock, type LogLine, type LogSubscription, type Logger, type Task } from '@shoal/api';
import type { Executor, LogEntry } from './exec/executor.js';

type LogBatchInput = NonNullable<AgentMessageInput['logs']>;

/** Lines are sent in batches: at most this many, or whatever arrived within the window. */
const MAX_BATCH_LINES = 500;
const MAX_BATCH_BYTES = 512 * 1024;
const BATCH_WINDOW_MS = 50;

export interface LogSubscriptionsOptions {
  nodeId(): string;
  /** The assigned task of this id, if any. */
  task(taskId: string): Task | undefined;
  executor(): Executor | undefined;
  /** Sends on the session; false when there is no session (the subscription is then dropped). */
  send(batch: LogBatchInput): boolean;
  clock: Clock;
  logger: Logger;
}

/** The manager's log subscriptions: each streams the containers' logs of some of this node's tasks. */
export class LogSubscriptions {
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly opts: LogSubscriptionsOptions) {}

  handle(subscription: LogSubscription): void {
    if (subscription.cancel) {
      this.active.get(subscription.id)?.abort();
      return;
    }
    if (this.active.has(subscription.id)) return;
    const abort = new AbortController();
    this.active.set(subscription.id, abort);
    void this.run(subscription, abort).finally(() => this.active.delete(subscription.id));
  }

  /** Ends every subscription (the session that asked for them is gone, or the agent stops). */
  cancelAll(): void {
    for (const abort of this.active.values()) abort.abort();
    this.active.clear();
  }

  private async run(subscription: LogSubscription, abort: AbortController): Promise<void> {
    const { id } = subscription;
    const nodeId = this.opts.nodeId();
    let lines: LogLine[] = [];
    let bytes = 0;
    let cancelFlush: Cancel | undefined;
    const send = (batch: LogBatchInput) => {
      if (!this.opts.send({ subscriptionId: id, ...batch })) abort.abort();
    };
    const flush = () => {
      cancelFlush?.();
      cancelFlush = undefined;
      if (!lines.length || abort.signal.aborted) return;
      const batch = lines;
      lines = [];
      bytes = 0;
      send({ lines: batch });
    };
    const collect = (taskId: string) => (entry: LogEntry) => {
      lines.push({ taskId, nodeId, ...entry });
      bytes += entry.line.length;
      if (lines.length >= MAX_BATCH_LINES || bytes >= MAX_BATCH_BYTES) flush();
      else cancelFlush ??= this.opts.clock.setTimeout(flush, BATCH_WINDOW_MS);
    };

    const errors: string[] = [];
    const query = { follow: subscription.follow, tail: subscription.tail, since: subscription.since };
    await Promise.all(subscription.taskIds.map(async (taskId) => {
      const task = this.opts.task(taskId);
      const executor = this.opts.executor();
      if (!task || !executor) {
        errors.push(`task ${taskId} is not assigned to this node`);
        return;
      }
      try {
        await executor.logs(task, query, collect(taskId), abort.signal);
      } catch (err) {
        errors.push(err instanceof NotFoundError ? `task ${taskId} has no container` : `task ${taskId}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }));
    flush();
    cancelFlush?.();
    if (errors.length) this.opts.logger.warn({ subscription: id, errors }, 'log subscription failed for some tasks');
    // A cancelled subscription still gets its done, unless the session itself is gone.
    this.opts.send({ subscriptionId: id, done: true, error: errors.join('; ') });
  }
}
