import { isActionable, type Cancel, type Clock, type TaskStatus, type TaskStatusUpdate } from '@shoal/api';

export const STATUS_BATCH_WINDOW_MS = 50;

/**
 * Coalesces task status changes into messages, the latest status of a task winning. A change after a quiet window
 * goes out at once; the changes that follow it within the window go together when it ends. A task running or ended
 * goes out at once whatever the window, with what is pending: the managers act on it (a rollout's next slot waits
 * on it), while the states before RUNNING only inform.
 */
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
    if (this.cancelTimer === undefined) this.sendAndOpenWindow();
    else if (isActionable(status.state)) this.sendPending();
  }

  /** Sends what is pending now and closes the window. */
  flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.sendPending();
  }

  // Sends what is pending, if anything, and holds what comes next until the window ends.
  private sendAndOpenWindow(): void {
    if (!this.sendPending()) { this.cancelTimer = undefined; return; }
    this.cancelTimer = this.clock.setTimeout(() => this.sendAndOpenWindow(), this.windowMs);
  }

  private sendPending(): boolean {
    if (this.pending.size === 0) return false;
    const updates = [...this.pending].map(([taskId, status]) => ({ taskId, status }));
    this.pending.clear();
    this.send(updates);
    return true;
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.pending.clear();
  }
}
