import type { Cancel, Clock, TaskStatus, TaskStatusUpdate } from '@shoal/api';

export const STATUS_BATCH_WINDOW_MS = 50;

/** Coalesces task status changes for a short window into one message; the latest status of a task wins. */
export class StatusBatcher {
  private readonly pending = new Map<string, TaskStatus>();
  private cancelTimer: Cancel | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly send: (updates: TaskStatusUpdate[]) => void,
    private readonly windowMs = STATUS_BATCH_WINDOW_MS,
  ) {}

  add(taskId: string, status: TaskStatus): void {
    this.pending.set(taskId, status);
    this.cancelTimer ??= this.clock.setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.pending.size === 0) return;
    const updates = [...this.pending].map(([taskId, status]) => ({ taskId, status }));
    this.pending.clear();
    this.send(updates);
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.pending.clear();
  }
}
