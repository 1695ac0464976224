import { setTimeout as sleep } from 'node:timers/promises';
import type { Control } from '../../client.js';
import type { Deps } from '../../context.js';
import { watchConvergence } from '../../progress/watch.js';

/**
 * Shows the service converging until it has; Ctrl-C stops only the watching (docker's "continuing in background").
 */
export async function waitForService(control: Control, deps: Deps, serviceId: string): Promise<void> {
  let interrupted = false;
  const onSigint = () => { interrupted = true; };
  process.on('SIGINT', onSigint);
  try {
    const done = await watchConvergence({
      out: deps.out,
      now: deps.now,
      sleep: (ms) => sleep(ms),
      interrupted: () => interrupted,
      fetch: async () => {
        const [service, tasks, nodes] = await Promise.all([
          control.getService(serviceId), control.listTasks([serviceId]), control.listNodes(),
        ]);
        return { service, tasks, nodes };
      },
    });
    if (!done) {
      deps.out.out('Operation continuing in background.');
      deps.out.out(`Use \`shoal service ps ${serviceId}\` to check progress.`);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}
