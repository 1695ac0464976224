import type { Command } from 'commander';
import type { Control } from '../client.js';
import { hostOf, withControl, type Deps } from '../context.js';
import { errorLine, FailedExit, isUnreachable } from '../errors.js';

/**
 * As docker's `rm` commands: try every reference, print each removed one, report each failure on its own line,
 * and fail if any did (a single reference, or an unreachable manager, fails at once).
 */
export async function removeEach(cmd: Command, deps: Deps, refs: readonly string[], remove: (c: Control, ref: string) => Promise<unknown>): Promise<void> {
  const failures = await withControl(cmd, deps, async (c) => {
    let failed = 0;
    for (const ref of refs) {
      try {
        await remove(c, ref);
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
}
