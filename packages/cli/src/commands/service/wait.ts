import { setTimeout as sleep } from 'node:timers/promises';
import { GrpcStatus, grpcCode, type Service } from '@shoal/api';
import type { Control } from '../../client.js';
import type { Deps } from '../../context.js';
import type { Output } from '../../output.js';
import { CliError } from '../../errors.js';
import { isRollingOut, watchRollout } from '../../progress/rollout.js';
import { watchConvergence, type Snapshot, type WatchOptions } from '../../progress/watch.js';

/** Runs a watch with Ctrl-C stopping only the watching (docker's "continuing in background"). */
async function watchWithSigint(deps: Deps, serviceRef: string, watch: (interrupted: () => boolean) => Promise<boolean>): Promise<void> {
  let interrupted = false;
  const onSigint = () => { interrupted = true; };
  process.on('SIGINT', onSigint);
  try {
    if (!(await watch(() => interrupted))) {
      deps.out.out('Operation continuing in background.');
      deps.out.out(`Use \`shoal service ps ${serviceRef}\` to check progress.`);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Reads the service, its tasks and the nodes; a service removed meanwhile is said so by the name the user gave. */
function fetcher(control: Control, serviceId: string, name: string): () => Promise<Snapshot> {
  return async () => {
    try {
      const [service, tasks, nodes] = await Promise.all([
        control.getService(serviceId), control.listTasks([serviceId]), control.listNodes(),
      ]);
      return { service, tasks, nodes };
    } catch (err) {
      if (grpcCode(err) === GrpcStatus.NOT_FOUND) throw new CliError(`no such service: ${name}`);
      throw err;
    }
  };
}

/** Where -q/--quiet sends progress: nowhere (the command still waits, and still fails on a failed rollout). */
const discard: Output = { out: () => {}, err: () => {}, write: () => {}, isTTY: false };

function common(control: Control, deps: Deps, service: Service, name: string, interrupted: () => boolean, quiet: boolean): WatchOptions {
  return {
    out: quiet ? discard : deps.out, now: deps.now, sleep: (ms) => sleep(ms), interrupted,
    fetch: fetcher(control, service.id, name),
  };
}

/** Shows the service converging until it has (service create, scale, and an update that replaced no task). */
export async function waitForService(control: Control, deps: Deps, serviceId: string): Promise<void> {
  await watchWithSigint(deps, serviceId, (interrupted) => watchConvergence({
    out: deps.out, now: deps.now, sleep: (ms) => sleep(ms), interrupted, fetch: fetcher(control, serviceId, serviceId),
  }));
}

/**
 * Follows what an update or rollback started, given the service the manager returned: the rollout while tasks are
 * being replaced, otherwise (a change that replaced no task) the convergence of the service as it is.
 */
export async function followRollout(
  control: Control, deps: Deps, service: Service, kind: 'update' | 'rollback', name: string, quiet = false,
): Promise<void> {
  // A change that replaced no task leaves a paused rollout paused: say so instead of waiting for it to converge.
  const { state, message } = service.updateStatus;
  if (state === 'paused' || state === 'rollback_paused') {
    throw new CliError(`service ${state === 'paused' ? 'update' : 'rollback'} paused: ${message}`);
  }
  await watchWithSigint(deps, name, (interrupted) => {
    const opts = common(control, deps, service, name, interrupted, quiet);
    return isRollingOut(service) ? watchRollout({ ...opts, kind, name }) : watchConvergence(opts);
  });
}
