import type { Command } from 'commander';
import { withControl, type Deps } from '../../context.js';
import { filterTasks, parseTaskFilters } from '../../filter/tasks.js';
import { printList } from '../../format/table.js';
import { taskColumns, taskJsonFields, taskRows } from '../../format/tasks.js';
import { listFlags, listFormat, type ListFlags } from '../list-flags.js';

export function registerPs(service: Command, deps: Deps): void {
  listFlags(service.command('ps').description('List the tasks of one or more services'))
    .argument('<service...>')
    .option('--no-trunc', 'Do not truncate output')
    .action(async (refs: string[], opts: ListFlags & { trunc: boolean }, cmd: Command) => {
      const format = listFormat(opts);
      const filters = parseTaskFilters(opts.filter ?? []);
      await withControl(cmd, deps, async (c) => {
        // Resolve every service first, so an unknown one is reported by name.
        const services = await Promise.all(refs.map((r) => c.getService(r)));
        const [tasks, nodes] = await Promise.all([c.listTasks(services.map((s) => s.id)), c.listNodes()]);
        const hostnames = new Map(nodes.map((n) => [n.id, n.description.hostname]));
        const addrs = new Map(nodes.map((n) => [n.id, n.status.addr]));
        const rows = taskRows(filterTasks(tasks, filters, hostnames), hostnames, addrs);
        const noTrunc = !opts.trunc;
        printList(deps.out, taskColumns(deps.now(), noTrunc), rows, { format, quiet: opts.quiet === true, json: taskJsonFields(deps.now(), noTrunc) });
      });
    });
}
