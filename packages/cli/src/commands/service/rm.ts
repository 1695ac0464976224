import type { Command } from 'commander';
import type { Deps } from '../../context.js';
import { removeEach } from '../remove-each.js';

export function registerRm(service: Command, deps: Deps): void {
  service.command('rm')
    .alias('remove')
    .description('Remove one or more services')
    .argument('<service...>')
    .action(async (refs: string[], _opts: object, cmd: Command) => {
      await removeEach(cmd, deps, refs, (c, ref) => c.removeService(ref));
    });
}
