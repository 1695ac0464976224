import type { Command } from 'commander';
import { withControl, type Deps } from '../../context.js';
import { filterServices, parseServiceFilters } from '../../filter/services.js';
import { activeNodeIds, serviceColumns, serviceJsonFields, serviceRows } from '../../format/services.js';
import { printList } from '../../format/table.js';
import { listFlags, listFormat, type ListFlags } from '../list-flags.js';

export function registerLs(service: Command, deps: Deps): void {
  listFlags(service.command('ls').alias('list').description('List services'))
    .action(async (opts: ListFlags, cmd: Command) => {
      const format = listFormat(opts);
      const filters = parseServiceFilters(opts.filter ?? []);
      const [services, tasks, nodes] = await withControl(cmd, deps, (c) => Promise.all([c.listServices(), c.listTasks(), c.listNodes()]));
      const rows = serviceRows(filterServices(services, filters), tasks, activeNodeIds(nodes));
      printList(deps.out, serviceColumns, rows, { format, quiet: opts.quiet === true, json: serviceJsonFields });
    });
}
