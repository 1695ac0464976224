import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '@shoal/api';
import { Mesh } from '../../../packages/agent/src/mesh/index.js';
import { Cleanups, silentLogger } from '../helpers.js';
import { backend, Client, endpoint, freePort, table, TestServer } from './helpers.js';

describe('mesh tcp', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function server(name: string, handler?: ConstructorParameters<typeof TestServer>[0]): Promise<TestServer> {
    const s = await new TestServer(handler, name).listen();
    cleanups.add(() => s.close());
    return s;
  }

  function mesh(opts: { connectTimeoutMs?: number } = {}): Mesh {
    const m = new Mesh({ listenHosts: ['127.0.0.1'], logger: silentLogger, clock: systemClock, ...opts });
    cleanups.add(() => m.close());
    return m;
  }

  function client(port: number): Client {
    const c = new Client(port);
    cleanups.add(async () => { c.socket.destroy(); });
    return c;
  }

  it('forwards both ways', async () => {
    const b = await server('b1');
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    await c.send('hello', 'b1:hello');
    await c.send('again', 'b1:again');
    expect(m.openConnections('t1')).toBe(1);
    c.socket.end();
    await c.closed;
    await expect.poll(() => m.openConnections('t1')).toBe(0);
  });
});
