import type { Command } from 'commander';
import { withControl, type Deps } from '../../context.js';
import { inspectPrinter, prettyService, type InspectFlags } from '../../format/inspect.js';

export function registerInspect(service: Command, deps: Deps): void {
  service.command('inspect')
    .description('Display detailed information on one or more services')
    .argument('<service...>')
    .option('--pretty', 'Print the information in a human friendly format')
    .option('-f, --format <format>', 'json, or a template of paths into the JSON, e.g. "{{.spec.replicas}}" or "{{json .endpoints}}"')
    .action(async (refs: string[], opts: InspectFlags, cmd: Command) => {
      const print = inspectPrinter(opts, prettyService);
      const services = await withControl(cmd, deps, (c) => Promise.all(refs.map((r) => c.getService(r))));
      for (const line of print(services)) deps.out.out(line);
    });
}
