import { CliError } from '../errors.js';

/**
 * An `inspect --format` template, as docker users write them, over the JSON `inspect` prints: `{{.spec.replicas}}`,
 * `{{json .endpoints}}`, `{{.}}`; `\t` and `\n` for a tab and a newline. One line per object.
 */
export interface InspectTemplate {
  /** Literal text and paths into the object (an empty path is the object itself). */
  readonly parts: ReadonlyArray<{ text: string } | { path: readonly string[]; json: boolean }>;
}

const ACTION = /\{\{\s*(json\s+)?\.((?:\w+)(?:\.\w+)*)?\s*\}\}/g;

/** Parses a template; anything but fields, paths and `json` is refused with one line. */
export function parseInspectTemplate(source: string): InspectTemplate {
  const body = source.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const parts: Array<{ text: string } | { path: string[]; json: boolean }> = [];
  let last = 0;
  for (const m of body.matchAll(ACTION)) {
    if (m.index > last) parts.push({ text: body.slice(last, m.index) });
    parts.push({ path: m[2] ? m[2].split('.') : [], json: m[1] !== undefined });
    last = m.index + m[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  if (parts.some((p) => 'text' in p && (p.text.includes('{{') || p.text.includes('}}')))) {
    throw new CliError(`invalid format "${source}": use paths into the inspected JSON such as "{{.spec.replicas}}", "{{json .endpoints}}" or "{{json .}}"`);
  }
  return { parts };
}

/** Renders one line per object. A path that is not in every object is refused before anything prints. */
export function renderInspect(t: InspectTemplate, objects: readonly unknown[]): string[] {
  // The objects as inspect prints them, so the paths are those of its JSON.
  const plain = objects.map((o) => JSON.parse(JSON.stringify(o)) as unknown);
  const paths = t.parts.flatMap((p) => ('path' in p ? [p.path] : []));
  for (const o of plain) for (const path of paths) lookup(o, path);
  return plain.map((o) => t.parts.map((p) => ('text' in p ? p.text : show(lookup(o, p.path), p.json))).join(''));
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let at: unknown = root;
  for (const [i, key] of path.entries()) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !(key in at)) {
      const where = i === 0 ? 'the object' : `.${path.slice(0, i).join('.')}`;
      const fields = at !== null && typeof at === 'object' && !Array.isArray(at) ? Object.keys(at) : [];
      throw new CliError(`invalid format: no field "${key}" in ${where}${fields.length ? `; its fields are ${fields.join(', ')}` : ' (it is not an object)'}`);
    }
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A string as it is, other scalars as text; objects and arrays as JSON (as `json` prints every value). */
export function show(value: unknown, json: boolean): string {
  if (!json && typeof value === 'string') return value;
  if (!json && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return JSON.stringify(value) ?? 'null';
}
