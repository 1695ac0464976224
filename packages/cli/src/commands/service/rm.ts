import type { Command } from 'commander';
import { hostOf, withControl, type Deps } from '../../context.js';
import { errorLine, FailedExit, isUnreachable } from '../../errors.js';

export function registerRm(service: Command, deps: Deps): void {
  service.command('rm')
    .alias('remove')
    .description('Remove one or more services')
    .argument('<service...>')
    .action(async (refs: string[], _opts: object, cmd: Command) => {
      // As docker: try every service, report each failure on its own line, and fail if any did.
      const failures = await withControl(cmd, deps, async (c) => {
        let failed = 0;
        for (const ref of refs) {
          try {
            await c.removeService(ref);
            deps.out.out(ref);
          } catch (err) {
            if (refs.length === 1 || isUnreachable(err)) throw err;
            deps.out.err(errorLine(err, hostOf(cmd, deps)));
            failed++;
          }
        }
        return failed;
      });
      if (failures) throw new FailedExit();
    });
}
