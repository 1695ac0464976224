import type { Event } from '@shoal/api';
import { CliError } from '../errors.js';
import { parseInspectTemplate, show, type InspectTemplate } from './inspect-template.js';

/** How `shoal events` prints: docker's line, one JSON object per line, or a template of paths into its message. */
export type EventFormat = 'line' | 'json' | InspectTemplate;

const MESSAGE_FIELDS = ['Type', 'Action', 'Actor', 'scope', 'time', 'timeNano'];
const ACTOR_FIELDS = ['ID', 'Attributes'];

export function eventFormat(format: string | undefined): EventFormat {
  if (format === undefined || format === '') return 'line';
  if (format === 'json') return 'json';
  if (/^\s*table\b/.test(format)) throw new CliError(`invalid format "${format}": events are a stream, not a table; use a template such as "{{.Type}} {{.Action}}"`);
  if (format.includes('{{')) {
    let t: InspectTemplate;
    try {
      t = parseInspectTemplate(format);
    } catch {
      throw new CliError(`invalid format "${format}": use paths into docker's event message such as "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}", or "{{json .}}"`);
    }
    // A path docker's message cannot have is refused before the stream starts (an attribute may be on some events only).
    for (const part of t.parts) if ('path' in part) checkPath(part.path);
    return t;
  }
  throw new CliError(`invalid format "${format}": use json, or a template such as "{{.Type}} {{.Action}}" or "{{json .}}"`);
}

function checkPath(path: readonly string[]): void {
  const [field, sub, key, ...rest] = path;
  const refuse = (name: string, where: string, fields: readonly string[]) => {
    throw new CliError(`invalid format: no field "${name}" in ${where}; its fields are ${fields.join(', ')}`);
  };
  if (field === undefined) return;
  if (!MESSAGE_FIELDS.includes(field)) refuse(field, 'the event message', MESSAGE_FIELDS);
  if (sub === undefined) return;
  if (field !== 'Actor') throw new CliError(`invalid format: .${field} has no fields`);
  if (!ACTOR_FIELDS.includes(sub)) refuse(sub, '.Actor', ACTOR_FIELDS);
  if (key !== undefined && (sub !== 'Attributes' || rest.length > 0)) throw new CliError(`invalid format: .${path.slice(0, sub === 'Attributes' ? 3 : 2).join('.')} has no fields`);
}

/** An event's attributes as docker's Actor has them: its name among them. */
function attributesOf(e: Event): Record<string, string> {
  return e.name ? { ...e.attributes, name: e.name } : { ...e.attributes };
}

/** docker's rfc3339NanoFixed in UTC: always nine digits of fraction. */
export function rfc3339NanoFixed(unixMs: number): string {
  const iso = new Date(unixMs).toISOString(); // 2026-11-22T22:50:07.123Z
  return `${iso.slice(0, 23)}000000Z`;
}

/** docker's events line: `TIME TYPE ACTION ID (k=v, …)`, attributes sorted by key. */
export function eventLine(e: Event): string {
  const attrs = attributesOf(e);
  const keys = Object.keys(attrs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tail = keys.length ? ` (${keys.map((k) => `${k}=${attrs[k]!}`).join(', ')})` : '';
  return `${rfc3339NanoFixed(e.time)} ${e.type} ${e.action} ${e.id}${tail}`;
}

/** docker's events message as one JSON line; timeNano is written as digits, since it exceeds a double's precision. */
export function eventJson(e: Event): string {
  const base = JSON.stringify(dockerMessage(e));
  return `${base.slice(0, -1)},"timeNano":${nanos(e.time)}}`;
}

function dockerMessage(e: Event) {
  return { Type: e.type, Action: e.action, Actor: { ID: e.id, Attributes: attributesOf(e) }, scope: 'swarm', time: Math.floor(e.time / 1000) };
}

function nanos(unixMs: number): string {
  return unixMs === 0 ? '0' : `${Math.floor(unixMs)}000000`;
}

export function formatEvent(e: Event, format: EventFormat): string {
  if (format === 'line') return eventLine(e);
  if (format === 'json') return eventJson(e);
  const message = dockerMessage(e);
  return format.parts.map((p) => {
    if ('text' in p) return p.text;
    if (p.path.length === 0) return eventJson(e); // {{.}} and {{json .}}: the whole message, timeNano exact
    if (p.path[0] === 'timeNano') return nanos(e.time);
    let at: unknown = message;
    for (const key of p.path) at = (at as Record<string, unknown>)[key];
    return at === undefined ? '<no value>' : show(at, p.json); // an attribute this event lacks, as Go's templates say it
  }).join('');
}
