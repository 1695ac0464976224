import { stateOrder, type Task } from '@shoal/api';

/** The part of a task the agent acts on: a change here is sent; a change of the status it reported is not. */
function assignmentKey(t: Task): string {
  return `${t.desiredState}|${t.meta.createdAt}`;
}

/** Whether a task belongs in its node's assignment set: scheduled onto the node by the leader. */
export function isAssigned(t: Task): boolean {
  return t.nodeId !== '' && stateOrder(t.status.state) >= stateOrder('ASSIGNED');
}

/** Tracks what one agent was sent, so only real changes go out. */
export class AssignmentSet {
  private readonly sent = new Map<string, string>();

  /** The full set for a (re)connected agent. */
  full(tasks: Task[]): Task[] {
    this.sent.clear();
    const out = tasks.filter(isAssigned);
    for (const t of out) this.sent.set(t.id, assignmentKey(t));
    return out;
  }

  /** A changed or new task: returns it when the agent must hear of it. */
  changed(t: Task): boolean {
    if (!isAssigned(t)) return false;
    const key = assignmentKey(t);
    if (this.sent.get(t.id) === key) return false;
    this.sent.set(t.id, key);
    return true;
  }

  /** A task deleted or moved away: true when the agent had it. */
  removed(taskId: string): boolean {
    return this.sent.delete(taskId);
  }
}
