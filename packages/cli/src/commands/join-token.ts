import type { Command } from 'commander';
import { withControl, type Deps } from '../context.js';
import { joinTokenLines } from '../format/info.js';
import { parseChoice } from '../parse/choice.js';

export function registerJoinToken(program: Command, deps: Deps): void {
  program.command('join-token')
    .description('Manage the join tokens of workers and managers')
    .argument('<role>', 'worker or manager')
    .option('-q, --quiet', 'Only display the token')
    .option('--rotate', 'Rotate the join token (the old one stops working)')
    .action(async (roleText: string, opts: { quiet?: boolean; rotate?: boolean }, cmd: Command) => {
      const role = parseChoice(roleText, ['worker', 'manager'] as const, 'role');
      const token = await withControl(cmd, deps, (c) => c.getJoinToken(role, opts.rotate === true));
      if (opts.rotate && !opts.quiet) deps.out.out(`Successfully rotated ${role} join token.\n`);
      if (opts.quiet) deps.out.out(token.token);
      else for (const l of joinTokenLines(role, token)) deps.out.out(l);
    });
}
