import { InvalidArgumentError } from '@shoal/api';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data directory every daemon and `shoal up` default to. */
export function defaultDataDir(home = homedir()): string {
  return join(home, '.shoal');
}

/** The control socket of a manager whose data directory is dataDir. */
export function controlSocketHost(dataDir: string): string {
  return `unix://${join(dataDir, 'control.sock')}`;
}

/** Which manager a client command talks to: --host, else $SHOAL_HOST, else the local default. */
export function resolveHost(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, home = homedir()): string {
  return flag ?? (env.SHOAL_HOST || controlSocketHost(defaultDataDir(home)));
}

/** Turns a --host value into a gRPC target: "unix:///path" stays, "tcp://h:p" and "h:p" become "h:p". */
export function grpcTarget(host: string): string {
  const bad = (why: string) =>
    new InvalidArgumentError(`invalid host "${host}": ${why}; use unix:///path/to/control.sock or HOST:PORT`);
  if (host.startsWith('unix://')) {
    const path = host.slice('unix://'.length);
    if (!path.startsWith('/')) throw bad('the socket path must be absolute');
    return `unix://${path}`;
  }
  const hostPort = host.startsWith('tcp://') ? host.slice('tcp://'.length) : host;
  let h: string;
  let port: number;
  try {
    ({ host: h, port } = parseHostPort(hostPort, 'host', false));
  } catch {
    throw bad('expected a socket URL or HOST:PORT');
  }
  return `${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** Parses "HOST:PORT" ("[::1]:4242" for IPv6); port 0 ("any free port") only when allowZero. */
export function parseHostPort(text: string, what: string, allowZero: boolean): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]\s/]+)):(\d+)$/.exec(text.trim());
  const port = Number(m?.[3]);
  if (!m || port > 65535 || (port === 0 && !allowZero)) {
    throw new InvalidArgumentError(
      `invalid ${what} "${text}": use HOST:PORT with a port from ${allowZero ? 0 : 1} to 65535, e.g. 127.0.0.1:4242`);
  }
  return { host: (m[1] ?? m[2])!, port };
}
