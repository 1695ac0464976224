import type { Event } from '@shoal/api';
import { CliError } from '../errors.js';
import { parseTemplate, renderTemplate, type Template } from './template.js';

/** How `shoal events` prints: docker's line, one JSON object per line, or a template. */
export type EventFormat = 'line' | 'json' | Template;

/** The fields of docker's events message, as --format templates name them. */
const FIELDS: Readonly<Record<string, string>> = { Type: 'TYPE', Action: 'ACTION', Actor: 'ACTOR', scope: 'SCOPE', time: 'TIME', timeNano: 'TIMENANO' };

export function eventFormat(format: string | undefined): EventFormat {
  if (format === undefined || format === '') return 'line';
  if (format === 'json') return 'json';
  if (format.includes('{{')) {
    const t = parseTemplate(format);
    if (t.table) throw new CliError(`invalid format "${format}": events are a stream, not a table; use a template such as "{{.Type}} {{.Action}}"`);
    // An unknown field is refused before the stream starts, as docker checks its template on an empty message.
    renderTemplate(t, [], FIELDS);
    return t;
  }
  throw new CliError(`invalid format "${format}": use json, or a template such as "{{.Type}} {{.Action}}" or "{{json .}}"`);
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
  const row = { ...dockerMessage(e), timeNano: nanos(e.time) };
  return renderTemplate(format, [row], FIELDS)[0] ?? '';
}
