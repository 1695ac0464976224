import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '@shoal/api';
import { RouteTable } from '../../../packages/agent/src/mesh/balancer.js';
import { MeshContext } from '../../../packages/agent/src/mesh/context.js';
import { Mesh } from '../../../packages/agent/src/mesh/index.js';
import { UdpListener } from '../../../packages/agent/src/mesh/udp-listener.js';
import { Cleanups, silentLogger } from '../helpers.js';
import { backend, endpoint, table } from './helpers.js';

const POLL = { timeout: 5_000, interval: 5 };

async function bound(sock: dgram.Socket, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, '127.0.0.1', () => resolve());
  });
  return sock.address().port;
}

describe('mesh udp', () => {
  const cleanups = new Cleanups();
  afterEach(() => cleanups.run());

  /** A UDP echo backend answering `name:payload`. */
  async function echo(name: string): Promise<string> {
    const s = dgram.createSocket('udp4');
    s.on('message', (m, r) => s.send(`${name}:${m.toString()}`, r.port, r.address));
    const port = await bound(s);
    cleanups.add(() => new Promise<void>((resolve) => s.close(() => resolve())));
    return `127.0.0.1:${port}`;
  }

  async function udpPort(): Promise<number> {
    const s = dgram.createSocket('udp4');
    const port = await bound(s);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
  }

  /** A client socket that keeps what it receives. */
  async function client(): Promise<{ send(text: string): void; next(): Promise<string> }> {
    const s = dgram.createSocket('udp4');
    await bound(s);
    cleanups.add(() => new Promise<void>((resolve) => s.close(() => resolve())));
    const inbox: string[] = [];
    let wake: (() => void) | undefined;
    s.on('message', (m) => { inbox.push(m.toString()); wake?.(); });
    return {
      send: (text) => s.send(text, port, '127.0.0.1'),
      next: async () => {
        while (inbox.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
        return inbox.shift()!;
      },
    };
  }

  let port = 0;

  async function mesh(clock: FakeClock, idleMs = 10_000): Promise<Mesh> {
    port = await udpPort();
    const m = new Mesh({ listenHosts: ['127.0.0.1'], logger: silentLogger, clock, udpIdleMs: idleMs });
    cleanups.add(() => m.close());
    return m;
  }

  it('keeps each client on one backend and spreads clients by least flows', async () => {
    const clock = new FakeClock();
    const m = await mesh(clock);
    const [a1, a2] = [await echo('b1'), await echo('b2')];
    await m.apply(table([endpoint(port, [backend('t1', a1), backend('t2', a2)], { protocol: 'udp' })]));
    const c1 = await client();
    const c2 = await client();
    c1.send('x');
    expect(await c1.next()).toBe('b1:x');
    c2.send('y');
    expect(await c2.next()).toBe('b2:y');
    for (let i = 0; i < 3; i++) {
      c1.send(`x${i}`);
      expect(await c1.next()).toBe(`b1:x${i}`);
    }
    expect(await Promise.all([m.openConnections('t1'), m.openConnections('t2')])).toEqual([1, 1]);
    expect(m.listeners()).toEqual([{
      addr: `127.0.0.1:${port}`, protocol: 'udp', serviceName: 'web', active: 2, total: 2, failures: 0,
      bytesIn: 1 + 1 + 6, bytesOut: 4 + 4 + 3 * 5, error: '',
    }]);
  });

  it('ends a flow after it has been idle, not while datagrams flow', async () => {
    const clock = new FakeClock();
    const m = await mesh(clock, 10_000);
    await m.apply(table([endpoint(port, [backend('t1', await echo('b1'))], { protocol: 'udp' })]));
    const c = await client();
    c.send('a');
    expect(await c.next()).toBe('b1:a');
    clock.advance(6_000);
    c.send('b');
    expect(await c.next()).toBe('b1:b');
    clock.advance(6_000); // 12 s after the first datagram, 6 s after the last
    expect(await m.openConnections('t1')).toBe(1);
    clock.advance(4_000);
    expect(await m.openConnections('t1')).toBe(0);
    expect(m.listeners()[0]).toMatchObject({ active: 0, total: 1 });
    expect(clock.pending()).toBe(0);
    c.send('c'); // a new flow
    expect(await c.next()).toBe('b1:c');
    expect(m.listeners()[0]).toMatchObject({ active: 1, total: 2 });
  });

  it('moves a flow whose backend left the table; drops datagrams with no backend', async () => {
    const clock = new FakeClock();
    const m = await mesh(clock);
    const [a1, a2] = [await echo('b1'), await echo('b2')];
    await m.apply(table([endpoint(port, [backend('t1', a1)], { protocol: 'udp' })]));
    const c = await client();
    c.send('a');
    expect(await c.next()).toBe('b1:a');
    await m.apply(table([endpoint(port, [backend('t2', a2)], { protocol: 'udp' })]));
    expect(await m.openConnections('t1')).toBe(0);
    c.send('b');
    expect(await c.next()).toBe('b2:b');

    await m.apply(table([endpoint(port, [], { protocol: 'udp' })]));
    c.send('c');
    await expect.poll(() => m.listeners()[0]!.failures, POLL).toBe(1);
    expect(m.listeners()[0]!.active).toBe(0);
  });

  it('close() ends every flow and cancels their timers', async () => {
    const clock = new FakeClock();
    const m = await mesh(clock);
    await m.apply(table([endpoint(port, [backend('t1', await echo('b1'))], { protocol: 'udp' })]));
    const [c1, c2] = [await client(), await client()];
    c1.send('a');
    c2.send('b');
    expect([await c1.next(), await c2.next()]).toEqual(['b1:a', 'b1:b']);
    expect(clock.pending()).toBe(2);
    await m.close();
    expect(clock.pending()).toBe(0);
    expect(await m.openConnections('t1')).toBe(0);
    expect(m.listeners()).toEqual([]);
  });

  it('keeps at most udpMaxFlows client flows; further clients are dropped until one ends', async () => {
    const clock = new FakeClock();
    port = await udpPort();
    const routes = new RouteTable();
    routes.apply(table([endpoint(port, [backend('t1', await echo('b1'))], { protocol: 'udp' })]));
    const ctx = new MeshContext(routes, silentLogger, clock, 1_000, 10_000, 2);
    cleanups.add(async () => ctx.tcp.close());
    const l = new UdpListener('127.0.0.1', port, 'udp/' + port, 'web', ctx);
    await l.open();
    cleanups.add(() => l.close());
    const [c1, c2, c3] = [await client(), await client(), await client()];
    c1.send('1');
    expect(await c1.next()).toBe('b1:1');
    c2.send('2');
    expect(await c2.next()).toBe('b1:2');
    c3.send('3');
    await expect.poll(() => l.stats().failures, POLL).toBe(1);
    c1.send('again'); // a known flow still passes
    expect(await c1.next()).toBe('b1:again');
    clock.advance(10_000); // both flows expire
    c3.send('4');
    expect(await c3.next()).toBe('b1:4');
    expect(l.stats()).toMatchObject({ active: 1, total: 3, failures: 1 });
  });

  it('reports a UDP port it cannot bind', async () => {
    const clock = new FakeClock();
    const m = await mesh(clock);
    const taken = dgram.createSocket('udp4');
    await bound(taken, port);
    cleanups.add(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    await m.apply(table([endpoint(port, [backend('t1', await echo('b1'))], { protocol: 'udp' })]));
    expect(m.listeners()[0]!.error).toMatch(/EADDRINUSE/);
  });
});
