import type { Command } from 'commander';
import type { Control } from '../client.js';
import { collect, withControl, type Deps } from '../context.js';
import { filterNodes, parseNodeFilters } from '../filter/nodes.js';
import { filterTasks, parseTaskFilters } from '../filter/tasks.js';
import { inspectPrinter, prettyNode, type InspectFlags } from '../format/inspect.js';
import { nodeColumns, nodeJsonFields, nodeRows } from '../format/nodes.js';
import { printList } from '../format/table.js';
import { taskColumns, taskJsonFields, taskRows } from '../format/tasks.js';
import { parseChoice } from '../parse/choice.js';
import { parseKeyValue } from '../parse/kv.js';
import { listFlags, listFormat, type ListFlags } from './list-flags.js';
import { removeEach } from './remove-each.js';

/** docker's "self": the node of the manager you talk to. */
async function nodeRef(c: Control, ref: string): Promise<string> {
  return ref === 'self' ? (await c.getInfo()).nodeId : ref;
}

export function registerNode(program: Command, deps: Deps): void {
  const node = program.command('node').description('Manage nodes');

  listFlags(node.command('ls').alias('list').description('List nodes'))
    .action(async (opts: ListFlags, cmd: Command) => {
      const format = listFormat(opts);
      const filters = parseNodeFilters(opts.filter ?? []);
      const [nodes, info] = await withControl(cmd, deps, (c) => Promise.all([c.listNodes(), c.getInfo()]));
      const rows = nodeRows(filterNodes(nodes, filters), info.nodeId);
      printList(deps.out, nodeColumns, rows, { format, quiet: opts.quiet === true, quietValue: (r) => r.node.id, json: nodeJsonFields });
    });

  node.command('inspect')
    .description('Display detailed information on one or more nodes')
    .argument('<node...>', 'node id, id prefix, hostname, or self')
    .option('--pretty', 'Print the information in a human friendly format')
    .option('-f, --format <format>', 'json, or a template of paths into the JSON, e.g. "{{.description.hostname}}"')
    .action(async (refs: string[], opts: InspectFlags, cmd: Command) => {
      const print = inspectPrinter(opts, prettyNode);
      const nodes = await withControl(cmd, deps, (c) => Promise.all(refs.map(async (r) => c.getNode(await nodeRef(c, r)))));
      for (const line of print(nodes)) deps.out.out(line);
    });

  listFlags(node.command('ps').description('List tasks running on one or more nodes (default: the node you talk to)'))
    .argument('[node...]')
    .option('--no-trunc', 'Do not truncate output')
    .action(async (refs: string[], opts: ListFlags & { trunc: boolean }, cmd: Command) => {
      const format = listFormat(opts);
      const filters = parseTaskFilters(opts.filter ?? []);
      await withControl(cmd, deps, async (c) => {
        const nodeRefs = refs.length ? refs : [(await c.getInfo()).nodeId];
        // Resolve every node first, so an unknown one is reported by name.
        const wanted = await Promise.all(nodeRefs.map(async (r) => c.getNode(await nodeRef(c, r))));
        const [tasks, nodes] = await Promise.all([c.listTasks([], wanted.map((n) => n.id)), c.listNodes()]);
        const hostnames = new Map(nodes.map((n) => [n.id, n.description.hostname]));
        const addrs = new Map(nodes.map((n) => [n.id, n.status.addr]));
        const rows = taskRows(filterTasks(tasks, filters, hostnames), hostnames, addrs);
        const noTrunc = !opts.trunc;
        printList(deps.out, taskColumns(deps.now(), noTrunc), rows, { format, quiet: opts.quiet === true, json: taskJsonFields(deps.now(), noTrunc) });
      });
    });

  node.command('update')
    .description('Update a node')
    .argument('<node>')
    .option('--availability <availability>', 'active, pause or drain')
    .option('--label-add <label>', 'Add or update a node label (KEY=VALUE, repeatable)', collect)
    .option('--label-rm <key>', 'Remove a node label if it exists (repeatable)', collect)
    .action(async (ref: string, opts: { availability?: string; labelAdd?: string[]; labelRm?: string[] }, cmd: Command) => {
      const availability = opts.availability === undefined ? '' : parseChoice(opts.availability, ['active', 'pause', 'drain'] as const, 'availability');
      const labelAdd = Object.fromEntries((opts.labelAdd ?? []).map((l) => parseKeyValue(l, 'label')));
      const updated = await withControl(cmd, deps, async (c) =>
        c.updateNode({ ref: await nodeRef(c, ref), availability, labelAdd, labelRm: opts.labelRm ?? [] }));
      deps.out.out(updated.id);
    });

  const changeRole = (role: 'manager' | 'worker', done: (name: string) => string, already: (name: string) => string) =>
    async (refs: string[], _opts: unknown, cmd: Command) => {
      await withControl(cmd, deps, async (c) => {
        for (const ref of refs) {
          const current = await c.getNode(await nodeRef(c, ref));
          const name = current.description.hostname || current.id;
          if (current.spec.role === role) { deps.out.out(already(name)); continue; }
          await c.updateNode({ ref: current.id, role });
          deps.out.out(done(name));
        }
      });
    };
  node.command('promote')
    .description('Promote one or more nodes to manager in the cluster')
    .argument('<node...>')
    .action(changeRole('manager', (n) => `Node ${n} promoted to a manager in the cluster.`, (n) => `Node ${n} is already a manager.`));
  node.command('demote')
    .description('Demote one or more nodes from manager in the cluster')
    .argument('<node...>')
    .action(changeRole('worker', (n) => `Manager ${n} demoted in the cluster.`, (n) => `Node ${n} is already a worker.`));

  node.command('rm')
    .alias('remove')
    .description('Remove one or more nodes from the cluster')
    .argument('<node...>')
    .option('-f, --force', 'Remove a node that is not down')
    .action(async (refs: string[], opts: { force?: boolean }, cmd: Command) => {
      await removeEach(cmd, deps, refs, (c, ref) => c.removeNode(ref, opts.force === true));
    });
}
