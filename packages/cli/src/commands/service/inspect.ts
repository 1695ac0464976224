import type { Command } from 'commander';
import { withControl, type Deps } from '../../context.js';
import { inspectJson, prettyService } from '../../format/inspect.js';

export function registerInspect(service: Command, deps: Deps): void {
  service.command('inspect')
    .description('Display detailed information on one or more services')
    .argument('<service...>')
    .option('--pretty', 'Print the information in a human friendly format')
    .action(async (refs: string[], opts: { pretty?: boolean }, cmd: Command) => {
      const services = await withControl(cmd, deps, (c) => Promise.all(refs.map((r) => c.getService(r))));
      if (!opts.pretty) { deps.out.out(inspectJson(services)); return; }
      services.forEach((s, i) => { if (i) deps.out.out(''); prettyService(s).forEach((l) => deps.out.out(l)); });
    });
}
