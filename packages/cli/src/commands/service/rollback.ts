import { GrpcStatus, grpcCode } from '@shoal/api';
import type { Command } from 'commander';
import type { Control } from '../../client.js';
import { withControl, type Deps } from '../../context.js';
import { CliError } from '../../errors.js';
import { followRollout } from './wait.js';

export function registerRollback(service: Command, deps: Deps): void {
  service.command('rollback')
    .description('Revert changes to a service\'s configuration')
    .argument('<service>')
    .option('-d, --detach', 'Exit immediately instead of waiting for the service to converge')
    .option('-q, --quiet', 'Suppress progress output')
    .action(async (ref: string, opts: { detach?: boolean; quiet?: boolean }, cmd: Command) => {
      await withControl(cmd, deps, (c) => rollbackService(c, deps, ref, { detach: opts.detach === true, quiet: opts.quiet === true }));
    });
}

/** Asks the manager to return the service to its previous spec, prints its name, then follows the rollback. */
export async function rollbackService(c: Control, deps: Deps, ref: string, opts: { detach: boolean; quiet: boolean }): Promise<void> {
  let service;
  try {
    service = await c.rollbackService(ref);
  } catch (err) {
    if (grpcCode(err) === GrpcStatus.NOT_FOUND) throw new CliError(`no such service: ${ref}`);
    throw err;
  }
  deps.out.out(ref);
  if (!opts.detach) await followRollout(c, deps, service, 'rollback', ref, opts.quiet);
}
