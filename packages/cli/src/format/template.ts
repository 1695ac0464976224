import { CliError } from '../errors.js';

/** A docker-style --format template: `{{.Name}}` fields, `{{json .}}`, `\t` for a tab, `table` for a header row. */
export interface Template {
  table: boolean;
  /** Literal text and field references, in order. */
  parts: ReadonlyArray<{ text: string } | { field: string } | { whole: true }>;
}

const ACTION = /\{\{\s*(?:\.(\w+)|json\s+\.)\s*\}\}/g;

/** Parses the subset of Go templates docker users write; anything else is refused with one line. */
export function parseTemplate(source: string): Template {
  let body = source.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const table = /^table(\s|$)/.test(body);
  if (table) body = body.replace(/^table\s*/, '');
  const parts: Array<{ text: string } | { field: string } | { whole: true }> = [];
  let last = 0;
  for (const m of body.matchAll(ACTION)) {
    if (m.index > last) parts.push({ text: body.slice(last, m.index) });
    parts.push(m[1] ? { field: m[1] } : { whole: true });
    last = m.index + m[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  if (parts.some((p) => 'text' in p && p.text.includes('{{'))) {
    throw new CliError(`invalid format "${source}": use table, json, or a template of fields such as "{{.Name}}\\t{{.Image}}" or "{{json .}}"`);
  }
  return { table, parts };
}

/** Renders rows (field name -> value) through a template; an unknown field is refused before anything prints. */
export function renderTemplate(t: Template, rows: ReadonlyArray<Record<string, unknown>>, headers: Readonly<Record<string, string>>): string[] {
  const known = Object.keys(headers);
  for (const p of t.parts) {
    if ('field' in p && !known.includes(p.field)) {
      throw new CliError(`invalid format: no field "${p.field}"; the fields are ${known.join(', ')}`);
    }
  }
  const line = (value: (field: string) => string, whole: () => string) =>
    t.parts.map((p) => ('text' in p ? p.text : 'field' in p ? value(p.field) : whole())).join('');
  const lines = rows.map((r) => line((f) => String(r[f] ?? ''), () => JSON.stringify(r)));
  if (!t.table) return lines;
  // A table template aligns its tab-separated cells as docker's tabwriter does, under the columns' headers.
  const header = line((f) => headers[f] ?? f, () => '');
  const cells = [header, ...lines].map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return cells.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd());
}
