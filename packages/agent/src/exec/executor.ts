import type { Task } from '@shoal/api';
import type { Controller } from './controller.js';

/** Runs the node's tasks: one controller per task, plus the node-wide operations. */
export interface Executor {
  controller(task: Task): Controller;
  /** Removes this node's containers whose task is not in the assigned set. */
  removeOrphans(assigned: () => ReadonlySet<string>): Promise<void>;
  /** Streams a task's container logs to onEntry; resolves when they end (or signal aborts). */
  logs(task: Task, query: LogQuery, onEntry: (entry: LogEntry) => void, signal: AbortSignal): Promise<void>;
}

export type LogStreamName = 'stdout' | 'stderr';

export interface LogEntry {
  stream: LogStreamName;
  /** Unix ns; past 2^53 the last few hundred ns are rounded away. */
  timestampNs: number;
  line: string;
}

export interface LogQuery {
  follow: boolean;
  /** Lines from the end; negative = all. */
  tail: number;
  /** Unix ms; 0 = from the start. */
  since: number;
}
