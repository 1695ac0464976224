import type { Command } from 'commander';

/** The --update-* and --rollback-* flags, shared by `service create` and `service update`. */
export function rolloutOptions(cmd: Command): Command {
  for (const kind of ['update', 'rollback'] as const) {
    const what = kind === 'update' ? 'update' : 'rollback';
    cmd
      .option(`--${kind}-parallelism <n>`, `Maximum number of tasks ${kind === 'update' ? 'updated' : 'rolled back'} simultaneously (0 to do all at once; default 1)`)
      .option(`--${kind}-delay <duration>`, `Delay between ${what}s of batches of tasks (default 0s)`)
      .option(`--${kind}-failure-action <action>`, `Action on ${what} failure: ${kind === 'update' ? 'pause, continue or rollback' : 'pause or continue'} (default pause)`)
      .option(`--${kind}-monitor <duration>`, `Duration after each task ${kind === 'update' ? 'update' : 'rollback'} to monitor for failure (default 5s)`)
      .option(`--${kind}-max-failure-ratio <ratio>`, `Failure rate to tolerate during an ${what}, 0 to 1 (default 0)`)
      .option(`--${kind}-order <order>`, `${kind === 'update' ? 'Update' : 'Rollback'} order: stop-first or start-first (default stop-first)`);
  }
  return cmd;
}

/** The --health-* flags and --no-healthcheck, shared by `service create` and `service update`. */
export function healthOptions(cmd: Command): Command {
  return cmd
    .option('--health-cmd <command>', 'Command to run to check health (run by the container\'s shell)')
    .option('--health-interval <duration>', 'Time between running the check (default 30s)')
    .option('--health-timeout <duration>', 'Maximum time to allow one check to run (default 30s)')
    .option('--health-retries <n>', 'Consecutive failures needed to report unhealthy (default 3)')
    .option('--health-start-period <duration>', 'Start period for the container to initialize before failures count (default 0s)')
    .option('--no-healthcheck', 'Disable any container-specified HEALTHCHECK');
}
