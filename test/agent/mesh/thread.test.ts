import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MeshThread } from '../../../packages/agent/src/mesh/thread.js';
import { Cleanups, silentLogger } from '../helpers.js';
import { backend, Client, endpoint, freePort, table, TestServer } from './helpers.js';

// The thread runs the built entry (npm run build): a worker cannot load the TypeScript sources the tests import.
const ENTRY = new URL('../../../packages/agent/dist/mesh/mesh-worker.js', import.meta.url);
const POLL = { timeout: 5_000, interval: 20 };

describe('the routing mesh on its own thread', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());
  beforeAll(() => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY.pathname} is missing: run npm run build first`);
  });

  async function server(name: string): Promise<TestServer> {
    const s = await new TestServer(undefined, name).listen();
    cleanups.add(() => s.close());
    return s;
  }

  function thread(): MeshThread {
    const m = new MeshThread({ listenHosts: ['127.0.0.1'], logger: silentLogger, entry: ENTRY });
    cleanups.add(() => m.close());
    return m;
  }

  function client(port: number): Client {
    const c = new Client(port);
    cleanups.add(async () => { c.socket.destroy(); });
    return c;
  }

  it('proxies as the mesh does, counts connections per task, and reports its listeners', async () => {
    const b = await server('b1');
    const m = thread();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    await c.send('hello', 'b1:hello');
    expect(await m.openConnections('t1')).toBe(1);
    await expect.poll(() => m.listeners(), POLL).toEqual([expect.objectContaining({ addr: `127.0.0.1:${port}`, protocol: 'tcp', active: 1, total: 1 })]);
    // A backend change applied after: the thread's table follows the messages, as the mesh's does.
    const b2 = await server('b2');
    await m.apply(table([], { full: false, backendChanges: [{ serviceId: 'svc1', protocol: 'tcp', publishedPort: port, added: [backend('t2', b2.addr)], removed: ['t1'] }] }));
    await client(port).send('x', 'b2:x');
    c.socket.end();
    await c.closed;
    await expect.poll(() => m.openConnections('t1'), POLL).toBe(0);
  });

  it('closes its listeners and connections, and ends the thread', async () => {
    const b = await server('b1');
    const m = new MeshThread({ listenHosts: ['127.0.0.1'], logger: silentLogger, entry: ENTRY });
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    await c.send('hello', 'b1:hello');
    await m.close();
    await c.ended;
    await expect(m.openConnections('t1')).rejects.toThrow('routing mesh closed');
    await expect(new Promise((resolve, reject) => {
      const probe = new Client(port);
      probe.socket.once('connect', () => { probe.socket.destroy(); reject(new Error('still listening')); });
      probe.socket.once('error', resolve);
    })).resolves.toBeDefined();
  });

  it('terminates a thread that does not close in time, so stopping the agent never hangs', async () => {
    const m = new MeshThread({ listenHosts: ['127.0.0.1'], logger: silentLogger, entry: new URL('./unresponsive-worker.mjs', import.meta.url) });
    const started = Date.now();
    await m.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
  }, 10_000);

  it('starts a thread that died again, with every route it had', async () => {
    const b = await server('b1');
    const m = thread();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    await client(port).send('before', 'b1:before');
    // What an uncaught error in the thread would do: it ends.
    await (m as unknown as { worker: Worker }).worker.terminate();
    await expect(m.openConnections('t1')).rejects.toThrow('restarting');
    await expect.poll(async () => {
      const c = new Client(port);
      const answered = await Promise.race([c.send('after', 'b1:after').then(() => true), c.closed.then(() => false)]);
      c.socket.destroy();
      return answered;
    }, POLL).toBe(true);
  });
});
