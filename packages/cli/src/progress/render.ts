import { stateOrder, type Task, type TaskState } from '@shoal/api';
import { truncateId } from '../format/table.js';

/** Steps of the progress bar per task state (docker's numberedStates); RUNNING fills it. */
const BAR_STEP: Partial<Record<TaskState, number>> = {
  NEW: 1, PENDING: 3, ASSIGNED: 4, ACCEPTED: 5, PREPARING: 6, READY: 7, STARTING: 8, RUNNING: 9,
};
const BAR_STEPS = 9;
const BAR_WIDTH = 50;
/** docker draws one line per slot only up to this many. */
export const MAX_PROGRESS_BARS = 20;
/** Width of the longest state word shown next to a bar ("preparing"), so bars line up. */
const STATE_WIDTH = 9;
const MAX_MESSAGE = 75;

export interface ProgressLine {
  /** "overall progress", "2/3" or a node id: the left part, and the key a redraw replaces. */
  id: string;
  text: string;
}

export interface ProgressInput {
  mode: string;
  replicas: number;
  tasks: readonly Task[];
  /** Nodes not down; tasks elsewhere do not count. */
  activeNodes: ReadonlySet<string>;
  /**
   * Global mode: nodes the service runs on besides those with a task here (a rollout counts only new tasks, but a
   * node still running an old one is part of it too); each shows an empty line until it has a task here.
   */
  nodes?: ReadonlySet<string>;
}

export interface ProgressView {
  lines: ProgressLine[];
  running: number;
  desired: number;
  converged: boolean;
}

export function progressBar(state: TaskState): string {
  const step = BAR_STEP[state] ?? 0;
  const filled = Math.min(BAR_WIDTH, Math.floor(Math.floor((step / BAR_STEPS) * 100) / 2));
  return `[${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled)}]`;
}

/** One line, at most 75 characters, as docker shortens task errors in progress output. */
function shorten(text: string): string {
  const flat = text.replace(/\n/g, ' ');
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

const terminal = (s: TaskState) => stateOrder(s) > stateOrder('RUNNING');

/** Of the tasks of one slot (or node), the one progress is about: lowest desired state, then lowest observed. */
function currentTask(tasks: readonly Task[]): Task | undefined {
  let best: Task | undefined;
  for (const t of tasks) {
    if (!best) { best = t; continue; }
    const d = stateOrder(t.desiredState) - stateOrder(best.desiredState);
    if (d < 0 || (d === 0 && stateOrder(t.status.state) < stateOrder(best.status.state))) best = t;
  }
  return best;
}

/**
 * What a slot line says: the current task's error; for a pending task the scheduler's reason; while a task is not
 * yet running after an earlier attempt failed, that failure (so a crash loop is visible); else state and bar.
 */
function slotText(tasks: readonly Task[], current: Task): string {
  if (current.status.err) return shorten(current.status.err);
  if (current.status.state === 'PENDING' && current.status.message) return shorten(current.status.message);
  if (current.status.state !== 'RUNNING') {
    const failed = tasks
      .filter((t) => t !== current && t.status.err && terminal(t.status.state))
      .sort((a, b) => b.status.timestamp - a.status.timestamp)[0];
    if (failed) return shorten(failed.status.err);
  }
  if (terminal(current.status.state) || terminal(current.desiredState)) return current.status.state.toLowerCase();
  return `${current.status.state.toLowerCase().padEnd(STATE_WIDTH)} ${progressBar(current.status.state)}`;
}

function groupBy(tasks: readonly Task[], key: (t: Task) => string): Map<string, Task[]> {
  const groups = new Map<string, Task[]>();
  for (const t of tasks) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return groups;
}

const isRunning = (t: Task) => !terminal(t.desiredState) && t.status.state === 'RUNNING';

/** The lines of `service create/scale` progress for the service's current tasks: a pure function, redrawn by the caller. */
export function renderProgress(input: ProgressInput): ProgressView {
  // Tasks being removed, or on nodes that are down, are not part of the service's progress.
  const tasks = input.tasks.filter((t) =>
    t.desiredState !== 'REMOVE' && t.desiredState !== 'ORPHANED' && (!t.nodeId || input.activeNodes.has(t.nodeId)));
  const extra = [...(input.nodes ?? [])].filter((n) => input.activeNodes.has(n));
  return input.mode === 'global' ? renderGlobal(tasks, extra) : renderReplicated(tasks, input.replicas);
}

function overall(running: number, desired: number): ProgressLine {
  return { id: 'overall progress', text: `${running} out of ${desired} tasks` };
}

function renderReplicated(tasks: readonly Task[], replicas: number): ProgressView {
  const slots = [...groupBy(tasks.filter((t) => t.slot > 0), (t) => String(t.slot))]
    .map(([slot, ts]) => ({ slot: Number(slot), tasks: ts, current: currentTask(ts)! }))
    // Slots still meant to run come first, in slot order, so they take the first replicas lines.
    .sort((a, b) => Number(terminal(a.current.desiredState)) - Number(terminal(b.current.desiredState)) || a.slot - b.slot);
  const running = slots.filter((s) => isRunning(s.current)).length;
  const lines = [overall(running, replicas)];
  if (replicas <= MAX_PROGRESS_BARS) {
    for (let i = 1; i <= replicas; i++) {
      const s = slots[i - 1];
      lines.push({ id: `${i}/${replicas}`, text: s ? slotText(s.tasks, s.current) : '' });
    }
  }
  return { lines, running, desired: replicas, converged: running === replicas };
}

function renderGlobal(tasks: readonly Task[], extraNodes: readonly string[]): ProgressView {
  const byNode = groupBy(tasks.filter((t) => t.nodeId), (t) => t.nodeId);
  for (const n of extraNodes) if (!byNode.has(n)) byNode.set(n, []);
  const nodes = [...byNode]
    .map(([node, ts]) => ({ node, tasks: ts, current: currentTask(ts) }))
    .sort((a, b) => a.node.localeCompare(b.node));
  if (nodes.length === 0) {
    return { lines: [{ id: 'overall progress', text: 'waiting for new tasks' }], running: 0, desired: 0, converged: false };
  }
  const running = nodes.filter((n) => n.current && isRunning(n.current)).length;
  const lines = [overall(running, nodes.length)];
  if (nodes.length <= MAX_PROGRESS_BARS) {
    for (const n of nodes) lines.push({ id: truncateId(n.node), text: n.current ? slotText(n.tasks, n.current) : '' });
  }
  return { lines, running, desired: nodes.length, converged: running === nodes.length };
}

export function lineText(line: ProgressLine): string {
  return `${line.id}: ${line.text}`.trimEnd();
}
