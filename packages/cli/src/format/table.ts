import type { Output } from '../output.js';
import { renderTemplate, type Template } from './template.js';

export interface Column<R> {
  /** Header of the table column ("DESIRED STATE"). */
  header: string;
  /** Key in --format json ("DesiredState"). */
  key: string;
  value: (row: R) => string;
}

/** Docker's plain table: left-aligned columns, at least 3 spaces apart, no borders, no trailing spaces. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** A key of the --format json objects; by default the table's columns are used. */
export interface JsonField<R> {
  key: string;
  value: (row: R) => unknown;
}

export type ListFormat = 'table' | 'json' | Template;

export interface ListOptions<R> {
  format: ListFormat;
  quiet: boolean;
  /** What -q prints per row; the first column by default. */
  quietValue?: (row: R) => string;
  /** The fields of --format json when they differ from the table's. */
  json?: readonly JsonField<R>[];
}

/** Prints a list as a table, as one JSON object per line, or (quiet) only each row's id. */
export function printList<R>(out: Output, columns: readonly Column<R>[], rows: readonly R[], opts: ListOptions<R>): void {
  if (opts.quiet) {
    const id = opts.quietValue ?? columns[0]!.value;
    for (const r of rows) out.out(id(r));
    return;
  }
  if (opts.format === 'json') {
    const fields = opts.json ?? columns;
    for (const r of rows) out.out(JSON.stringify(Object.fromEntries(fields.map((f) => [f.key, f.value(r)]))));
    return;
  }
  if (opts.format !== 'table') {
    const fields = opts.json ?? columns;
    const headers = Object.fromEntries(fields.map((f) => [f.key, columns.find((c) => c.key === f.key)?.header ?? f.key.toUpperCase()]));
    const objects = rows.map((r) => Object.fromEntries(fields.map((f) => [f.key, f.value(r)])));
    for (const l of renderTemplate(opts.format, objects, headers)) out.out(l);
    return;
  }
  for (const l of renderTable(columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.value(r))))) out.out(l);
}

/** Shortens an id to the 12 characters docker shows. */
export function truncateId(id: string): string {
  return id.slice(0, 12);
}

/** docker's formatter.Ellipsis: at most max characters, the last one an ellipsis when cut. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Orders strings the way people read numbers in them: "web.2" before "web.10". */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
