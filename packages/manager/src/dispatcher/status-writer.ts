import { isActionable, stateOrder, type Cancel, type Clock, type Logger, type TaskStatus, type TaskStatusUpdate } from '@shoal/api';
import type { MemoryStore } from '../store/index.js';

/** How long statuses that only inform (the states before RUNNING) gather before they are written together. */
export const STATUS_FLUSH_MS = 50;

export interface StatusWriterComponents {
  store: MemoryStore;
  clock: Clock;
  logger: Logger;
}

/**
 * Writes the task statuses the agents report, latest per task, in as few store writes as keeps them prompt:
 * - a task running or ended (the orchestrator acts on it) is written at once — or, while a write is in flight,
 *   right after it, with everything that came meanwhile (group commit: at most one write waiting);
 * - the states before RUNNING are written at once after a quiet window, those within the window after it when it ends.
 * A status is written only if it moves the task forward, and only by the node the task is on.
 */
export class StatusWriter {
  private readonly queue = new Map<string, { nodeId: string; status: TaskStatus }>();
  private cancelWindow: Cancel | undefined;
  private writing = false;
  /** An actionable status came while a write was in flight: write again as soon as it ends. */
  private again = false;
  private stopped = false;

  constructor(private readonly c: StatusWriterComponents) {}

  add(nodeId: string, updates: readonly TaskStatusUpdate[]): void {
    if (this.stopped) return;
    let actionable = false;
    for (const u of updates) {
      if (!u.status) continue;
      this.queue.set(u.taskId, { nodeId, status: u.status });
      actionable ||= isActionable(u.status.state);
    }
    if (actionable) this.writeNow();
    else if (!this.cancelWindow) {
      this.writeNow();
      this.openWindow();
    }
  }

  stop(): void {
    this.stopped = true;
    this.cancelWindow?.();
    this.cancelWindow = undefined;
  }

  private openWindow(): void {
    this.cancelWindow = this.c.clock.setTimeout(() => {
      this.cancelWindow = undefined;
      if (this.queue.size === 0 || this.stopped) return;
      this.writeNow();
      this.openWindow();
    }, STATUS_FLUSH_MS);
  }

  private writeNow(): void {
    if (this.writing) { this.again = true; return; }
    const batch = [...this.queue];
    this.queue.clear();
    if (batch.length === 0) return;
    this.writing = true;
    void this.write(batch).finally(() => {
      this.writing = false;
      if (this.again && !this.stopped) { this.again = false; this.writeNow(); }
    });
  }

  private async write(batch: Array<[string, { nodeId: string; status: TaskStatus }]>): Promise<void> {
    try {
      await this.c.store.update((tx) => {
        for (const [taskId, { nodeId, status }] of batch) {
          const task = tx.get('tasks', taskId);
          if (!task || task.nodeId !== nodeId) continue;
          const order = stateOrder(status.state) - stateOrder(task.status.state);
          if (order < 0 || (order === 0 && status.message === task.status.message && status.err === task.status.err && status.health === task.status.health)) continue;
          tx.update('tasks', { ...task, status });
        }
      });
    } catch (err) {
      this.c.logger.error({ err }, 'writing task status failed');
    }
  }
}
