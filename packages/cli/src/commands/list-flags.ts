import type { Command } from 'commander';
import { collect } from '../context.js';
import { parseChoice } from '../parse/choice.js';
import type { ListFormat } from '../format/table.js';

/** The flags every list command shares: -q, --format json, --filter KEY=VALUE… */
export function listFlags(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'Only display IDs')
    .option('--format <format>', 'json: one JSON object per line')
    .option('-f, --filter <filter>', 'Filter output (KEY=VALUE, repeatable)', collect);
}

export interface ListFlags {
  quiet?: boolean;
  format?: string;
  filter?: string[];
}

export function listFormat(flags: ListFlags): ListFormat {
  return flags.format === undefined ? 'table' : parseChoice(flags.format, ['table', 'json'] as const, 'format');
}
