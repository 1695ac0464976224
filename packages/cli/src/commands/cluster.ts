import { parseDuration } from '@shoal/api';
import type { Command } from 'commander';
import { withControl, type Deps } from '../context.js';
import { CliError } from '../errors.js';
import { parseNonNegativeInt } from '../parse/numbers.js';

export function registerCluster(program: Command, deps: Deps): void {
  const cluster = program.command('cluster').description('Manage the cluster');
  cluster.command('update')
    .description('Update the cluster settings')
    .option('--dispatcher-heartbeat <duration>', 'Period of the agents\' heartbeats (e.g. 5s)')
    .option('--task-history-limit <n>', 'Finished tasks kept per slot')
    .action(async (opts: { dispatcherHeartbeat?: string; taskHistoryLimit?: string }, cmd: Command) => {
      const heartbeatPeriodMs = opts.dispatcherHeartbeat === undefined ? 0 : parseDuration(opts.dispatcherHeartbeat, 'dispatcher heartbeat');
      if (opts.dispatcherHeartbeat !== undefined && heartbeatPeriodMs <= 0) {
        throw new CliError(`invalid dispatcher heartbeat "${opts.dispatcherHeartbeat}": must be longer than 0s`);
      }
      const taskHistoryLimit = opts.taskHistoryLimit === undefined ? -1 : parseNonNegativeInt(opts.taskHistoryLimit, 'task history limit');
      await withControl(cmd, deps, (c) => c.updateCluster({ heartbeatPeriodMs, taskHistoryLimit }));
      deps.out.out('Cluster updated.');
    });
}
