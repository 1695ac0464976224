import type { Command } from 'commander';
import { collect } from '../context.js';
import { CliError } from '../errors.js';
import type { ListFormat } from '../format/table.js';
import { parseTemplate } from '../format/template.js';

/** The flags every list command shares: -q, --format json, --filter KEY=VALUE… */
export function listFlags(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'Only display IDs')
    .option('--format <format>', 'table, json (one JSON object per line), or a template such as "{{.ID}}\\t{{.Name}}"')
    .option('-f, --filter <filter>', 'Filter output (KEY=VALUE, repeatable)', collect);
}

export interface ListFlags {
  quiet?: boolean;
  format?: string;
  filter?: string[];
}

export function listFormat(flags: ListFlags): ListFormat {
  if (flags.format === undefined || flags.format === 'table') return 'table';
  if (flags.format === 'json') return 'json';
  if (flags.format.includes('{{')) return parseTemplate(flags.format);
  throw new CliError(`invalid format "${flags.format}": use table, json, or a template such as "{{.ID}}\\t{{.Name}}"`);
}
