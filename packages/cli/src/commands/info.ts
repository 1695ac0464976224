import type { Command } from 'commander';
import { withControl, type Deps } from '../context.js';
import { infoLines } from '../format/info.js';
import { parseChoice } from '../parse/choice.js';

export function registerInfo(program: Command, deps: Deps): void {
  program.command('info')
    .description('Show cluster-wide information')
    .option('--format <format>', 'json: the information as one JSON object')
    .action(async (opts: { format?: string }, cmd: Command) => {
      const json = opts.format !== undefined && parseChoice(opts.format, ['json'] as const, 'format') === 'json';
      const info = await withControl(cmd, deps, (c) => c.getInfo());
      if (json) deps.out.out(JSON.stringify(info));
      else for (const l of infoLines(info)) deps.out.out(l);
    });
}
