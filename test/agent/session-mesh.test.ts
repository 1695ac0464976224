// The agent's half of the routing mesh's contract: every `endpoints` message of the session goes to the mesh in order
// (listeners on the advertise and --mesh-listen addresses), and every heartbeat carries the mesh's listeners.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAgent } from '@shoal/agent';
import type { EndpointInput } from '@shoal/api';
import { meshHosts } from '../../packages/agent/src/agent.js';
import { freePort } from '../e2e/harness.js';
import { FakeDispatcher } from './fake-dispatcher.js';
import { Cleanups, silentLogger } from './helpers.js';

const WAIT = { timeout: 5_000, interval: 20 };
const NO_ENGINE = 'unix:///tmp/shoal-agent-test-no-such-engine.sock';

/** A backend answering every connection with its name, then closing. */
async function backend(name: string): Promise<{ server: Server; addr: string }> {
  const server = createServer((s) => { s.on('error', () => undefined); s.end(name); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, addr: `127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** What a connection to host:port reads before it closes; 'refused' or 'error' if it could not connect. */
function read(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s: Socket = connect(port, host);
    s.setTimeout(3_000, () => s.destroy(new Error('timeout')));
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? 'refused' : 'error'));
    s.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

function endpoint(port: number, addrs: string[]): EndpointInput {
  return {
    serviceId: 'svc1', serviceName: 'web', protocol: 'tcp', publishedPort: port, targetPort: 80,
    backends: addrs.map((addr, i) => ({ taskId: `task${i}`, nodeId: 'n1', addr })),
  };
}

describe('agent session: the routing mesh', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  it('listens on the advertise and --mesh-listen addresses for each endpoint, in the order sent, and reports its listeners', async () => {
    const d = await new FakeDispatcher().start();
    cleanups.add(() => d.close());
    const dir = await mkdtemp(join(tmpdir(), 'shoal-agent-mesh-'));
    cleanups.add(() => rm(dir, { recursive: true, force: true }));
    const b = await backend('task0');
    cleanups.add(() => new Promise((resolve) => b.server.close(resolve)));
    const port = await freePort('127.0.0.9');
    const a = await startAgent({
      join: d.addr, token: d.token, advertise: '127.0.0.9', meshListen: ['127.0.0.10'], dataDir: dir, dockerHost: NO_ENGINE, logger: silentLogger,
    });
    cleanups.add(() => a.stop());
    await a.nodeId;

    d.send({ endpoints: { full: true, endpoints: [endpoint(port, [b.addr])], removedServices: [] } });
    await vi.waitFor(async () => expect(await read('127.0.0.9', port)).toBe('task0'), WAIT);
    expect(await read('127.0.0.10', port)).toBe('task0');
    await vi.waitFor(() => {
      const mesh = d.heartbeats().at(-1)?.mesh ?? [];
      expect(mesh.map((l) => l.addr).sort()).toEqual([`127.0.0.10:${port}`, `127.0.0.9:${port}`]);
      expect(mesh.every((l) => l.protocol === 'tcp' && l.serviceName === 'web' && l.error === '')).toBe(true);
      expect(mesh.reduce((n, l) => n + Number(l.total), 0)).toBeGreaterThanOrEqual(2);
    }, WAIT);

    // A change with no backend left, then the service removed: in order, whatever the mesh's pace.
    d.send({ endpoints: { full: false, endpoints: [endpoint(port, [])], removedServices: [] } });
    d.send({ endpoints: { full: false, endpoints: [], removedServices: ['svc1'] } });
    await vi.waitFor(async () => expect(await read('127.0.0.9', port)).toBe('refused'), WAIT);
    await vi.waitFor(() => expect(d.heartbeats().at(-1)?.mesh).toEqual([]), WAIT);
  });

  it('listens on the advertise address and each --mesh-listen one once; a wildcard covers the rest', () => {
    expect(meshHosts('127.0.0.2', [])).toEqual(['127.0.0.2']);
    expect(meshHosts('127.0.0.2', ['10.0.0.2', '127.0.0.2', '10.0.0.2'])).toEqual(['127.0.0.2', '10.0.0.2']);
    expect(meshHosts('127.0.0.2', ['0.0.0.0'])).toEqual(['0.0.0.0']);
    expect(meshHosts('127.0.0.2', ['::', '10.0.0.2'])).toEqual(['::']);
  });
});
