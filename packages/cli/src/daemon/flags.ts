import { isIP } from 'node:net';
import { InvalidArgumentError, parseDuration } from '@shoal/api';
import { parseChoice } from '../parse/choice.js';
import { parseHostPort } from '../parse/host.js';
import { parseKeyValues } from '../parse/kv.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseLogLevel(text: string | undefined): LogLevel | undefined {
  return text === undefined ? undefined : parseChoice(text, LOG_LEVELS, 'log level');
}

export function parseHeartbeat(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text, 'dispatcher heartbeat duration');
  if (ms <= 0) throw new InvalidArgumentError(`invalid dispatcher heartbeat duration "${text}": must be longer than 0s`);
  return ms;
}

export function parseEngineLabels(texts: readonly string[]): Record<string, string> {
  return parseKeyValues(texts, 'engine label');
}

/** The address a node advertises (an IP or host name, no port): "127.0.0.2". */
export function parseAdvertise(text: string): string {
  const t = text.trim();
  if (!t || /[\s/]/.test(t)) throw new InvalidArgumentError(`invalid advertise address "${text}": use this node's IP address, e.g. 127.0.0.2`);
  return t;
}

/** The host part agents in this process advertise, from a listen address: a wildcard becomes loopback. */
export function advertiseHostOf(listenHost: string): string {
  return listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '' ? '127.0.0.1' : listenHost;
}

/**
 * agent --manager-listen: where this node's manager would listen once promoted. The other managers and the agents
 * are told this address, so it names this host: a wildcard or port 0 is refused.
 */
export function parseManagerListen(text: string): string {
  const { host } = parseHostPort(text, 'manager listen address', false);
  if (host === '0.0.0.0' || host === '::') {
    throw new InvalidArgumentError(`invalid manager listen address "${text}": the other managers connect to it, so use this node's address, e.g. 127.0.0.2:4242`);
  }
  return text.trim();
}

/**
 * agent --mesh-listen: another address of this host the routing mesh listens on for every published port (the
 * advertise address always is one): an IP address, 0.0.0.0 or :: for all of them.
 */
export function parseMeshListen(texts: readonly string[]): string[] {
  return texts.map((text) => {
    const t = text.trim().replace(/^\[(.*)\]$/, '$1');
    if (!isIP(t)) throw new InvalidArgumentError(`invalid mesh listen address "${text}": use an IP address of this host (no port), e.g. 10.0.0.2, or 0.0.0.0 for all`);
    return t;
  });
}
