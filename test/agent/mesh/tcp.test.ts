import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '@shoal/api';
import { Mesh } from '../../../packages/agent/src/mesh/index.js';
import { Cleanups, silentLogger } from '../helpers.js';
import { backend, Client, endpoint, freePort, openSockets, table, TestServer, unansweringBackend } from './helpers.js';

const POLL = { timeout: 5_000, interval: 5 };

/** Handles of the kinds the mesh opens, as Node counts them. */
function netHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'UDPWrap').length;
}

describe('mesh tcp', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  async function server(name: string, handler?: ConstructorParameters<typeof TestServer>[0]): Promise<TestServer> {
    const s = await new TestServer(handler, name).listen();
    cleanups.add(() => s.close());
    return s;
  }

  function mesh(opts: { connectTimeoutMs?: number; hosts?: string[] } = {}): Mesh {
    const m = new Mesh({ listenHosts: opts.hosts ?? ['127.0.0.1'], logger: silentLogger, clock: systemClock, connectTimeoutMs: opts.connectTimeoutMs });
    cleanups.add(() => m.close());
    return m;
  }

  function client(port: number, host?: string): Client {
    const c = new Client(port, host);
    cleanups.add(async () => { c.socket.destroy(); });
    return c;
  }

  it('forwards both ways and counts the connection to its task', async () => {
    const b = await server('b1');
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    await c.send('hello', 'b1:hello');
    await c.send('again', 'b1:again');
    expect(await m.openConnections('t1')).toBe(1);
    c.socket.end();
    await c.closed;
    await expect.poll(() => m.openConnections('t1'), POLL).toBe(0);
    expect(b.sockets.size).toBe(0);
  });

  it('passes on what a backend says first, before the client sends anything, and a backend that greets and hangs up', async () => {
    const greeter = await server('g', (s) => { s.write('220 ready\r\n'); s.on('data', (d) => s.write(`echo ${d.toString()}`)); });
    const bye = await server('x', (s) => s.end('bye\r\n'));
    const m = mesh();
    const [port, byePort] = [await freePort(), await freePort()];
    await m.apply(table([endpoint(port, [backend('t1', greeter.addr)]), endpoint(byePort, [backend('t2', bye.addr)], { serviceId: 'svc2' })]));
    for (let i = 0; i < 20; i++) { // the greeting can reach the mesh with the connect's completion or after it
      const c = client(port);
      await c.waitFor('220 ready\r\n');
      await c.send('hi', 'echo hi');
      c.socket.destroy();
      const b = client(byePort);
      await b.ended;
      expect(b.received).toBe('bye\r\n');
      b.socket.end();
      await b.closed;
    }
    await expect.poll(() => m.openConnections('t2'), POLL).toBe(0);
  });

  it('moves megabytes both ways intact while a slow reader holds the other side back', async () => {
    // The backend echoes, but reads in bursts with pauses: the mesh's writes queue up and its reads must wait.
    const b = await server('b1', (s) => {
      s.on('data', (d) => {
        if (!s.write(d)) s.pause();
      });
      s.on('drain', () => { s.pause(); setTimeout(() => s.resume(), 5); });
      s.on('end', () => s.end());
    });
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const payload = randomBytes(16 * 1024 * 1024);
    const c = new net.Socket();
    cleanups.add(async () => { c.destroy(); });
    const chunks: Buffer[] = [];
    let reading = true;
    c.on('data', (d: Buffer) => {
      chunks.push(d);
      // The client reads slowly too, now and then.
      if (reading && chunks.length % 50 === 0) {
        reading = false;
        c.pause();
        setTimeout(() => { reading = true; c.resume(); }, 5);
      }
    });
    const ended = new Promise<void>((resolve) => c.once('end', () => resolve()));
    c.connect(port, '127.0.0.1', () => c.end(payload));
    await ended;
    const got = Buffer.concat(chunks);
    expect(got.length).toBe(payload.length);
    expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(m.listeners()[0]).toMatchObject({ bytesIn: payload.length, bytesOut: payload.length, active: 0 });
  });

  it('listens on every listen host', async () => {
    const b = await server('b1');
    const m = mesh({ hosts: ['127.0.0.1', '127.0.0.2'] });
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    expect(m.listeners().map((l) => l.addr)).toEqual([`127.0.0.1:${port}`, `127.0.0.2:${port}`]);
    await client(port, '127.0.0.2').send('x', 'b1:x');
  });

  it('listens on an IPv6 address and on a host name, and forwards to an IPv6 backend', async () => {
    const v6 = net.createServer((s) => s.on('data', (d) => s.write(`v6:${d.toString()}`)));
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    cleanups.add(() => new Promise<void>((resolve) => v6.close(() => resolve())));
    const v6Port = (v6.address() as net.AddressInfo).port;
    const m = mesh({ hosts: ['::1'] });
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', `[::1]:${v6Port}`)])]));
    expect(m.listeners().map((l) => [l.addr, l.error])).toEqual([[`[::1]:${port}`, '']]);
    const c = client(port, '::1');
    await c.send('x', 'v6:x');
    c.socket.destroy();
    await m.close(); // 'localhost' may be ::1 here too

    const b = await server('b1');
    const named = mesh({ hosts: ['localhost'] });
    await named.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    expect(named.listeners().map((l) => [l.addr, l.error])).toEqual([[`localhost:${port}`, '']]);
    await client(port, 'localhost').send('y', 'b1:y');
  });

  it('balances by least connections, ties round-robin', async () => {
    const b1 = await server('b1');
    const b2 = await server('b2');
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b1.addr), backend('t2', b2.addr)])]));
    const c1 = client(port);
    await c1.send('1', 'b1:1');
    const c2 = client(port);
    await c2.send('2', 'b2:2');
    const c3 = client(port);
    await c3.send('3', 'b1:3');
    c2.socket.destroy(); // t2 now has none, t1 two
    await expect.poll(() => m.openConnections('t2'), POLL).toBe(0);
    await client(port).send('4', 'b2:4');
    await client(port).send('5', 'b2:5'); // still the least loaded (1 against 2)
    expect(await Promise.all([m.openConnections('t1'), m.openConnections('t2')])).toEqual([2, 2]);
  });

  it('passes half-closes through, both ways', async () => {
    // The backend answers only once the client has finished sending.
    let got = '';
    const b = await server('b1', (s) => {
      s.on('data', (d) => { got += d.toString(); });
      s.on('end', () => s.end(`got ${got}`));
    });
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    c.socket.write('request');
    c.socket.end();
    await c.ended;
    expect(c.received).toBe('got request');
    expect(await c.closed).toBe(false);

    // The backend finishes first; the client still sends afterwards.
    let late = '';
    const b2 = await server('b2', (s) => {
      s.end('bye');
      s.on('data', (d) => { late += d.toString(); });
      s.on('end', () => undefined);
    });
    await m.apply(table([endpoint(port, [backend('t2', b2.addr)])]));
    const c2 = client(port);
    await c2.ended;
    expect(c2.received).toBe('bye');
    c2.socket.end('after');
    await c2.closed;
    await expect.poll(() => late, POLL).toBe('after');
  });

  it('a client that sends nothing and leaves costs nothing lasting', async () => {
    const b = await server('b1');
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    await c.connected;
    await expect.poll(() => b.accepted, POLL).toBe(1);
    c.socket.destroy();
    await expect.poll(() => b.sockets.size, POLL).toBe(0);
    await expect.poll(() => m.openConnections('t1'), POLL).toBe(0);
    expect(m.listeners()[0]).toMatchObject({ active: 0, total: 1, failures: 0 });
  });

  it('a client that disconnects mid-stream closes its backend connection', async () => {
    // The backend streams without end; the client resets halfway.
    const b = await server('b1', (s) => {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => { while (!s.destroyed && s.write(chunk)); };
      s.on('drain', pump);
      pump();
    });
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    await expect.poll(() => c.received.length > 100_000, POLL).toBe(true);
    c.socket.resetAndDestroy();
    await expect.poll(() => b.sockets.size, POLL).toBe(0);
    await expect.poll(() => m.openConnections('t1'), POLL).toBe(0);
    expect(m.listeners()[0]!.active).toBe(0);
  });

  it('closes a connection at once when the service has no backend', async () => {
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [])]));
    const c = client(port);
    expect(await c.closed).toBe(true); // reset: even a half-open client is done at once
    expect(c.received).toBe('');
    expect(m.listeners()[0]).toMatchObject({ active: 0, total: 1, failures: 1 });
  });

  it('tries another backend when one refuses, with what the client already sent', async () => {
    const dead = await freePort(); // nothing listens there: refused
    const b = await server('b2');
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', `127.0.0.1:${dead}`), backend('t2', b.addr)])]));
    for (let i = 0; i < 4; i++) {
      const c = client(port);
      c.socket.write(`early${i}`); // sent before any backend answered
      await c.waitFor(`b2:early${i}`);
      await c.send('more', 'b2:more'); // the connection goes on: nothing of the refused attempt stays with it
    }
    expect(m.listeners()[0]).toMatchObject({ total: 4, failures: 0, active: 4 });
    expect(await m.openConnections('t1')).toBe(0);
  });

  it('fails the connection when every backend refuses', async () => {
    const dead1 = await freePort();
    const dead2 = await freePort();
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', `127.0.0.1:${dead1}`), backend('t2', `127.0.0.1:${dead2}`)])]));
    const c = client(port);
    expect(await c.closed).toBe(true);
    await expect.poll(() => m.listeners()[0]!.active, POLL).toBe(0);
    expect(m.listeners()[0]).toMatchObject({ total: 1, failures: 1 });
    expect((await m.openConnections('t1')) + (await m.openConnections('t2'))).toBe(0);
  });

  it('gives up on a backend that does not answer within the connect timeout', async () => {
    // The native proxy times connects by its own clock: a real one, so this test takes the timeout's 300 ms.
    const hole = await unansweringBackend();
    cleanups.add(() => hole.close());
    const b = await server('b2');
    const m = mesh({ connectTimeoutMs: 300 });
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', hole.addr), backend('t2', b.addr)])]));
    const started = Date.now();
    const c = client(port);
    c.socket.write('hi');
    await expect.poll(() => m.openConnections('t1'), POLL).toBe(1);
    expect(await m.openConnections('t2')).toBe(0);
    await c.waitFor('b2:hi');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await m.openConnections('t1')).toBe(0);
    expect(m.listeners()[0]).toMatchObject({ failures: 0, active: 1 });
  });

  it('a rolling update loses no connection, even when a task stops before it leaves the table', async () => {
    const old = await server('old');
    const fresh = await server('new');
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', old.addr)])]));
    const answers: string[] = [];
    const request = async (i: number): Promise<void> => {
      const c = new Client(port);
      c.socket.write(`r${i}`);
      c.socket.end();
      await c.ended;
      answers.push(c.received);
      c.socket.destroy();
    };
    for (let i = 0; i < 20; i++) await request(i);
    await m.apply(table([endpoint(port, [backend('t1', old.addr), backend('t2', fresh.addr)])]));
    for (let i = 20; i < 40; i++) await request(i);
    await old.close(); // the old task stops while the table still lists it: refused, then retried on t2
    for (let i = 40; i < 60; i++) await request(i);
    await m.apply(table([endpoint(port, [backend('t2', fresh.addr)])]));
    for (let i = 60; i < 80; i++) await request(i);
    expect(answers).toHaveLength(80);
    expect(answers.every((a, i) => a === `old:r${i}` || a === `new:r${i}`)).toBe(true);
    expect(answers.slice(40).every((a) => a.startsWith('new:'))).toBe(true);
    expect(m.listeners()[0]).toMatchObject({ total: 80, failures: 0 });
  });

  it('opens and closes listeners as ports come and go, and swaps backends under an open connection', async () => {
    const b1 = await server('b1');
    const b2 = await server('b2');
    const m = mesh();
    const [p1, p2] = [await freePort(), await freePort()];
    await m.apply(table([endpoint(p1, [backend('t1', b1.addr)])]));
    const c1 = client(p1);
    await c1.send('a', 'b1:a');

    // Another service on another port, as a delta.
    await m.apply(table([endpoint(p2, [backend('t2', b2.addr)], { serviceId: 'svc2', serviceName: 'api' })], { full: false }));
    expect(m.listeners().map((l) => [l.addr, l.serviceName])).toEqual([[`127.0.0.1:${p1}`, 'web'], [`127.0.0.1:${p2}`, 'api']]);
    await client(p2).send('b', 'b2:b');

    // svc1's backend becomes t2: the open connection stays on t1, new ones go to t2.
    await m.apply(table([endpoint(p1, [backend('t2', b2.addr)])], { full: false }));
    await c1.send('c', 'b1:c');
    expect(await m.openConnections('t1')).toBe(1);
    await client(p1).send('d', 'b2:d');

    // svc2 removed: its port stops listening.
    await m.apply(table([], { full: false, removedServices: ['svc2'] }));
    expect(m.listeners().map((l) => l.addr)).toEqual([`127.0.0.1:${p1}`]);
    const refused = client(p2);
    expect(await refused.closed).toBe(true);
  });

  it('counts connections and bytes per listener', async () => {
    const b = await server('b1');
    const m = mesh();
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)])]));
    const c = client(port);
    await c.send('12345', 'b1:12345');
    expect(m.listeners()).toEqual([{
      addr: `127.0.0.1:${port}`, protocol: 'tcp', serviceName: 'web', active: 1, total: 1, failures: 0, bytesIn: 5, bytesOut: 8, error: '',
    }]);
    c.socket.end();
    await c.closed;
    await expect.poll(() => m.listeners()[0]!.active, POLL).toBe(0);
    expect(m.listeners()[0]).toMatchObject({ total: 1, bytesIn: 5, bytesOut: 8 });
  });

  it('reports a port it cannot bind and serves the others, and binds it once free', async () => {
    const b = await server('b1');
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as net.AddressInfo).port;
    let takenOpen = true;
    cleanups.add(async () => { if (takenOpen) await new Promise<void>((resolve) => taken.close(() => resolve())); });
    const m = mesh();
    const port = await freePort();
    const t = table([endpoint(takenPort, [backend('t1', b.addr)]), endpoint(port, [backend('t1', b.addr)])]);
    await m.apply(t);
    const byAddr = new Map(m.listeners().map((l) => [l.addr, l]));
    expect(byAddr.get(`127.0.0.1:${takenPort}`)!.error).toMatch(/EADDRINUSE/);
    expect(byAddr.get(`127.0.0.1:${port}`)!.error).toBe('');
    await client(port).send('ok', 'b1:ok');

    await new Promise<void>((resolve) => taken.close(() => resolve()));
    takenOpen = false;
    await m.apply(t);
    expect(m.listeners().every((l) => l.error === '')).toBe(true);
    await client(takenPort).send('now', 'b1:now');
  });

  // Each proxied connection takes two descriptors, so the last one free decides what happens at the limit: with one,
  // a client is accepted and turned away for want of a descriptor for its backend; with none, accepting fails and the
  // descriptor the proxy keeps in reserve accepts it to turn it away. One limit of each parity makes sure of both.
  for (const limit of [47, 48]) {
    it(`out of descriptors (${limit} open files): turns away at once what it cannot hold, does not spin, and serves again once some free`, async () => {
      const b = await server('b1');
      const port = await freePort();
      // The mesh in a process of its own (Node itself holds about 20 descriptors).
      const fixture = new URL('./fd-limited-mesh.mjs', import.meta.url).pathname;
      const child = spawn('bash', ['-c', `ulimit -n ${limit} && exec node ${fixture} ${port} ${b.addr}`], { stdio: ['pipe', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      cleanups.add(async () => { child.stdin.end(); await exited; });
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const next = async (): Promise<string> => (await lines.next()).value as string;
      const stats = async (): Promise<{ listeners: Array<{ active: number; failures: number }>; cpuUs: number }> => {
        child.stdin.write('\n');
        return JSON.parse(await next());
      };
      const polled = async (): Promise<{ active: number; failures: number }> => (await stats()).listeners[0]!;
      expect(await next()).toBe('ready');

      const clients = Array.from({ length: 30 }, () => client(port));
      for (const c of clients) c.socket.write('hi');
      const served = (): Client[] => clients.filter((c) => c.received === 'b1:hi');
      await expect.poll(async () => (await polled()).failures, POLL).toBeGreaterThan(0);
      await expect.poll(() => served().length, POLL).toBeGreaterThan(0);
      expect(served().length).toBeLessThan(30);

      // At the limit nothing spins (a level-triggered listener that is never accepted from would be reported forever).
      const before = await stats();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await stats()).cpuUs - before.cpuUs).toBeLessThan(200_000);

      // None of the others was left hanging: each was served or turned away. Once descriptors come back, a new client
      // is served.
      let closed = 0;
      for (const c of clients) void c.closed.then(() => { closed++; });
      await expect.poll(() => closed, POLL).toBe(30 - served().length);
      expect(await polled()).toMatchObject({ active: served().length, failures: 30 - served().length });
      for (const c of served()) c.socket.destroy();
      await expect.poll(async () => (await polled()).active, POLL).toBe(0);
      await client(port).send('again', 'b1:again');
    }, 20_000);
  }

  it('close() ends every connection and leaves no handle open', async () => {
    const b = await server('b1');
    // Earlier tests' sockets finish closing first; then only the backend's server is open.
    await expect.poll(netHandles, POLL).toBe(1);
    const sockets = openSockets();
    const m = new Mesh({ listenHosts: ['127.0.0.1'], logger: silentLogger, clock: systemClock });
    const port = await freePort();
    await m.apply(table([endpoint(port, [backend('t1', b.addr)]), endpoint(port, [backend('t1', b.addr)], { protocol: 'udp' })]));
    const clients = [new Client(port), new Client(port), new Client(port)];
    for (const [i, c] of clients.entries()) await c.send(`${i}`, `b1:${i}`);
    await m.close();
    for (const c of clients) {
      await c.ended;
      c.socket.destroy();
    }
    await expect.poll(() => b.sockets.size, POLL).toBe(0);
    await expect.poll(netHandles, POLL).toBe(1);
    expect(openSockets()).toBe(sockets); // the native proxy's too
    expect(m.listeners()).toEqual([]);
  });
});
