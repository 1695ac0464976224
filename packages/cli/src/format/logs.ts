import type { LogLine } from '@shoal/api';
import { truncateId } from './table.js';
import { rfc3339Nano } from './time.js';

export interface LogContext {
  /** "web.1" (or "web.<node id>" for a global task). */
  taskName: string;
  taskId: string;
  hostname: string;
}

export interface LogFormat {
  timestamps: boolean;
  noTaskIds: boolean;
  raw: boolean;
}

/** The prefix docker puts before a service's log line: "web.1.<task id 12>@<hostname> | ". */
export function logPrefix(ctx: LogContext, noTaskIds: boolean): string {
  return `${ctx.taskName}${noTaskIds ? '' : `.${truncateId(ctx.taskId)}`}@${ctx.hostname} | `;
}

/** One output line for a log line; with --raw only the text (and timestamp), as docker. */
export function formatLogLine(line: LogLine, ctx: LogContext, fmt: LogFormat): string {
  const ts = fmt.timestamps ? `${rfc3339Nano(line.timestampNs)} ` : '';
  return fmt.raw ? `${ts}${line.line}` : `${ts}${logPrefix(ctx, fmt.noTaskIds)}${line.line}`;
}
