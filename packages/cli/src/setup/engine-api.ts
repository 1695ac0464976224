import { request } from 'node:http';

/** Where a Docker engine listens: a unix socket path or a TCP host and port. */
export type EngineAddress = { socketPath: string } | { host: string; port: number };

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** The engine DOCKER_HOST names (unix:// or tcp://), else the local socket. */
export function engineAddress(dockerHost: string | undefined): EngineAddress {
  if (!dockerHost) return { socketPath: DEFAULT_DOCKER_SOCKET };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const m = /^(?:tcp|http):\/\/([^:/]+):(\d+)\/?$/.exec(dockerHost);
  if (!m) throw new Error(`unsupported DOCKER_HOST "${dockerHost}": use unix:///path or tcp://HOST:PORT`);
  return { host: m[1]!, port: Number(m[2]) };
}

export function describeEngine(addr: EngineAddress): string {
  return 'socketPath' in addr ? `unix://${addr.socketPath}` : `tcp://${addr.host}:${addr.port}`;
}

export interface EngineResponse {
  status: number;
  body: Buffer;
}

/** One call of the Docker Engine API (plain HTTP; the engine here speaks API 1.41). */
export function engineRequest(addr: EngineAddress, method: string, path: string, body?: Buffer, timeoutMs = 10_000): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const req = request({
      ...addr, method, path: `/v1.41${path}`, timeout: timeoutMs,
      headers: body ? { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } : {},
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`the Docker engine at ${describeEngine(addr)} did not answer in time`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The engine's version, or undefined when none answers. */
export async function engineVersion(addr: EngineAddress): Promise<string | undefined> {
  try {
    const res = await engineRequest(addr, 'GET', '/version', undefined, 3_000);
    if (res.status !== 200) return undefined;
    return (JSON.parse(res.body.toString('utf8')) as { Version?: string }).Version ?? 'unknown';
  } catch {
    return undefined;
  }
}
