import { GrpcStatus, grpcCode, type LogLine, type Node, type Task } from '@shoal/api';
import type { Command } from 'commander';
import type { Control } from '../../client.js';
import { withControl, type Deps } from '../../context.js';
import { CliError } from '../../errors.js';
import { formatLogLine, type LogContext, type LogFormat } from '../../format/logs.js';
import { taskName } from '../../format/tasks.js';
import { parseSince, parseTail } from '../../parse/logs.js';

interface Flags {
  follow?: boolean;
  tail: string;
  timestamps?: boolean;
  since?: string;
  taskIds: boolean;
  raw?: boolean;
}

export function registerLogs(service: Command, deps: Deps): void {
  service.command('logs')
    .description('Fetch the logs of a service or task')
    .argument('<service|task>')
    .option('-f, --follow', 'Follow log output')
    .option('-n, --tail <n>', 'Number of lines to show from the end of the logs', 'all')
    .option('-t, --timestamps', 'Show timestamps')
    .option('--since <time>', 'Show logs since a time (2013-01-02T13:23:37Z) or for a duration (42m)')
    .option('--no-task-ids', 'Do not include task IDs in output')
    .option('--raw', 'Do not neatly format logs')
    .action(async (ref: string, flags: Flags, cmd: Command) => {
      const tail = parseTail(flags.tail);
      const since = flags.since === undefined ? 0 : parseSince(flags.since, deps.now());
      const fmt: LogFormat = { timestamps: flags.timestamps === true, noTaskIds: !flags.taskIds, raw: flags.raw === true };
      await withControl(cmd, deps, async (c) => {
        const target = await resolveTarget(c, ref);
        const contexts = new LogContexts(c, target.serviceRefs);
        await contexts.refresh();
        await streamLogs(c, { ref: target.ref, follow: flags.follow === true, tail, since }, async (line) => {
          deps.out.out(formatLogLine(line, await contexts.get(line), fmt));
        });
      });
    });
}

/** The ref the logs call takes (service or task id) and the services whose tasks name the lines. */
async function resolveTarget(c: Control, ref: string): Promise<{ ref: string; serviceRefs: string[] }> {
  try {
    const service = await c.getService(ref);
    return { ref: service.id, serviceRefs: [service.id] };
  } catch (err) {
    if (grpcCode(err) !== GrpcStatus.NOT_FOUND) throw err;
  }
  const matches = (await c.listTasks()).filter((t) => t.id.startsWith(ref));
  if (matches.length === 0) throw new CliError(`no such task or service: ${ref}`);
  if (matches.length > 1) throw new CliError(`task id prefix "${ref}" is ambiguous: it matches ${matches.length} tasks`);
  return { ref: matches[0]!.id, serviceRefs: [matches[0]!.serviceId] };
}

/** Names lines "web.1.<id>@<hostname>": tasks and nodes are read once, and again when a line names one not seen yet. */
class LogContexts {
  private tasks = new Map<string, Task>();
  private nodes = new Map<string, Node>();
  /** Ids already looked for once: a task or node that is gone is not looked for on every line. */
  private readonly sought = new Set<string>();

  constructor(private readonly control: Control, private readonly serviceRefs: string[]) {}

  async refresh(): Promise<void> {
    const [tasks, nodes] = await Promise.all([this.control.listTasks(this.serviceRefs), this.control.listNodes()]);
    this.tasks = new Map(tasks.map((t) => [t.id, t]));
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
  }

  async get(line: LogLine): Promise<LogContext> {
    const missing = [line.taskId, line.nodeId].filter((id) => !this.tasks.has(id) && !this.nodes.has(id) && !this.sought.has(id));
    if (missing.length) {
      missing.forEach((id) => this.sought.add(id));
      await this.refresh();
    }
    const task = this.tasks.get(line.taskId);
    return {
      taskName: task ? taskName(task) : line.taskId,
      taskId: line.taskId,
      hostname: this.nodes.get(line.nodeId)?.description.hostname ?? line.nodeId,
    };
  }
}

/** Reads the log stream to its end, printing lines in order; Ctrl-C ends a --follow quietly. */
function streamLogs(c: Control, req: { ref: string; follow: boolean; tail: number; since: number }, print: (line: LogLine) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = c.serviceLogs(req);
    let chain = Promise.resolve();
    let failed = false;
    const fail = (err: unknown) => { if (!failed) { failed = true; stream.cancel(); reject(err); } };
    const onSigint = () => { stream.cancel(); };
    process.once('SIGINT', onSigint);
    stream.on('data', (line: LogLine) => { chain = chain.then(() => print(line)).catch(fail); });
    stream.on('error', (err) => {
      process.off('SIGINT', onSigint);
      if (grpcCode(err) === GrpcStatus.CANCELLED) void chain.then(() => resolve());
      else fail(err);
    });
    stream.on('end', () => { process.off('SIGINT', onSigint); void chain.then(() => resolve()); });
  });
}
