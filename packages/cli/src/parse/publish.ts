import { InvalidArgumentError, type PortConfig } from '@shoal/api';
import { parsePort } from './numbers.js';

const PROTOCOLS = ['tcp', 'udp'];
const MODES = ['ingress', 'host'];
const LONG_KEYS = ['mode', 'published', 'target', 'protocol'];

/**
 * Parses --publish in docker's long form ("published=8080,target=80[,protocol=udp][,mode=ingress|host]") or short
 * form ("8080:80", "8080:80/udp", "80"). The mode is ingress (the routing mesh: every node listens on the published
 * port) unless mode=host says to bind the port on the task's own node. An omitted published port is 0: in host mode
 * the engine chooses one, in ingress mode the manager does.
 */
export function parsePublish(text: string): PortConfig {
  return text.includes('=') ? parseLong(text) : parseShort(text);
}

function fail(text: string, why: string): never {
  throw new InvalidArgumentError(
    `invalid publish "${text}": ${why}; use PUBLISHED:TARGET[/PROTOCOL] or published=PORT,target=PORT[,protocol=tcp|udp][,mode=ingress|host]`);
}

function protocolOf(text: string, value: string): string {
  const p = value.toLowerCase();
  if (!PROTOCOLS.includes(p)) fail(text, `unknown protocol "${value}" (tcp or udp)`);
  return p;
}

function modeOf(text: string, value: string): string {
  const m = value.toLowerCase();
  if (!MODES.includes(m)) fail(text, `unknown mode "${value}" (ingress or host)`);
  return m;
}

function port(text: string, value: string, what: string): number {
  try {
    return parsePort(value, what);
  } catch {
    return fail(text, `${what} port "${value}" is not a number from 1 to 65535`);
  }
}

function parseShort(text: string): PortConfig {
  const m = /^(?:([^:/]*):)?([^:/]+)(?:\/([^:/]+))?$/.exec(text.trim());
  if (!m) fail(text, 'expected PUBLISHED:TARGET');
  const [, published, target, protocol] = m;
  return {
    protocol: protocol === undefined ? 'tcp' : protocolOf(text, protocol),
    targetPort: port(text, target!, 'target'),
    publishedPort: published === undefined || published === '' ? 0 : port(text, published, 'published'),
    publishMode: 'ingress',
  };
}

function parseLong(text: string): PortConfig {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (i < 0 || !LONG_KEYS.includes(key)) fail(text, `unknown field "${part}" (fields: ${LONG_KEYS.join(', ')})`);
    fields.set(key, part.slice(i + 1).trim());
  }
  const mode = modeOf(text, fields.get('mode') ?? 'ingress');
  const target = fields.get('target');
  if (target === undefined) fail(text, 'missing target');
  const published = fields.get('published');
  return {
    protocol: protocolOf(text, fields.get('protocol') ?? 'tcp'),
    targetPort: port(text, target, 'target'),
    publishedPort: published === undefined || published === '0' ? 0 : port(text, published, 'published'),
    publishMode: mode,
  };
}
