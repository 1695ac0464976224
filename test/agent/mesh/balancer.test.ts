import { describe, expect, it } from 'vitest';
import { EndpointSet, parseAddr, pickBackend, RouteTable } from '../../../packages/agent/src/mesh/balancer.js';
import { backend, endpoint, table } from './helpers.js';

const B = (...ids: string[]) => ids.map((taskId) => ({ taskId }));

describe('pickBackend: least connections, ties round-robin', () => {
  const cases: { name: string; ids: string[]; load: Record<string, number>; cursor: number; skip?: string[]; want: number }[] = [
    { name: 'none', ids: [], load: {}, cursor: 0, want: -1 },
    { name: 'all idle: the one at the cursor', ids: ['a', 'b', 'c'], load: {}, cursor: 1, want: 1 },
    { name: 'cursor wraps', ids: ['a', 'b', 'c'], load: {}, cursor: 4, want: 1 },
    { name: 'fewest connections wins', ids: ['a', 'b', 'c'], load: { a: 2, b: 1, c: 3 }, cursor: 0, want: 1 },
    { name: 'tie: the first from the cursor', ids: ['a', 'b', 'c'], load: { a: 1, b: 2, c: 1 }, cursor: 1, want: 2 },
    { name: 'tie: wraps past the end', ids: ['a', 'b', 'c'], load: { a: 1, b: 1, c: 2 }, cursor: 2, want: 0 },
    { name: 'skips tried backends', ids: ['a', 'b', 'c'], load: {}, cursor: 0, skip: ['a'], want: 1 },
    { name: 'skips even the least loaded', ids: ['a', 'b'], load: { a: 0, b: 5 }, cursor: 0, skip: ['a'], want: 1 },
    { name: 'everything tried', ids: ['a', 'b'], load: {}, cursor: 0, skip: ['a', 'b'], want: -1 },
    { name: 'counts of removed backends do not matter', ids: ['b', 'c'], load: { a: 0, b: 1, c: 1 }, cursor: 0, want: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(pickBackend(B(...c.ids), (id) => c.load[id] ?? 0, c.cursor, c.skip && new Set(c.skip))).toBe(c.want);
    });
  }

  it('takes turns among equally loaded backends, and fills the least loaded first', () => {
    const load: Record<string, number> = { a: 0, b: 0, c: 0 };
    const ids = B('a', 'b', 'c');
    let cursor = 0;
    const picks: string[] = [];
    const next = () => {
      const i = pickBackend(ids, (id) => load[id]!, cursor);
      cursor = i + 1;
      const id = ids[i]!.taskId;
      load[id]!++;
      picks.push(id);
      return id;
    };
    for (let i = 0; i < 6; i++) next();
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    load.b = 0; // b's connections ended
    expect([next(), next(), next()]).toEqual(['b', 'b', 'c']); // then the turn goes on after b
  });
});

describe('RouteTable', () => {
  it('a full table replaces, a delta replaces its services, removed services go', () => {
    const t = new RouteTable();
    t.apply(table([
      endpoint(80, [backend('t1', '10.0.0.1:30001')]),
      endpoint(53, [backend('t2', '10.0.0.2:30002')], { protocol: 'udp' }),
      endpoint(81, [backend('t3', '10.0.0.3:30003')], { serviceId: 'svc2', serviceName: 'api' }),
    ]));
    expect([...t.all()].map((r) => r.key).sort()).toEqual(['tcp/80', 'tcp/81', 'udp/53']);
    expect(t.get('tcp/80')!.backends).toEqual([{ taskId: 't1', host: '10.0.0.1', port: 30001 }]);

    // svc1 now has only port 80, with two backends; svc2 untouched.
    t.apply(table([endpoint(80, [backend('t1', '10.0.0.1:30001'), backend('t4', '[::1]:30004')])], { full: false }));
    expect([...t.all()].map((r) => r.key).sort()).toEqual(['tcp/80', 'tcp/81']);
    expect(t.get('tcp/80')!.backends.map((b) => b.host)).toEqual(['10.0.0.1', '::1']);

    t.apply(table([], { full: false, removedServices: ['svc2'] }));
    expect([...t.all()].map((r) => r.key)).toEqual(['tcp/80']);

    t.apply(table([endpoint(90, [])]));
    expect([...t.all()].map((r) => r.key)).toEqual(['tcp/90']);
  });

  it('a backend change adds and removes single backends of a route, keeping the rest and its cursor', () => {
    const t = new RouteTable();
    const full = table([endpoint(80, [backend('t1', '10.0.0.1:30001'), backend('t2', '10.0.0.2:30002')]), endpoint(81, [], { serviceId: 'svc2', serviceName: 'api' })]);
    t.apply(full);
    t.get('tcp/80')!.cursor = 1;
    const change = { serviceId: 'svc1', protocol: 'tcp', publishedPort: 80, added: [backend('t3', '10.0.0.3:30003'), backend('t1', '10.0.0.1:31111')], removed: ['t1'] };
    expect(t.apply(table([], { full: false, backendChanges: [change] }))).toEqual({
      conflicts: [], rebuilt: false,
      patched: [{ route: t.get('tcp/80'), removed: ['t1'], added: [{ taskId: 't3', host: '10.0.0.3', port: 30003 }, { taskId: 't1', host: '10.0.0.1', port: 31111 }] }],
    });
    expect(t.get('tcp/80')!.backends.map((b) => `${b.taskId}@${b.host}:${b.port}`)).toEqual(['t2@10.0.0.2:30002', 't3@10.0.0.3:30003', 't1@10.0.0.1:31111']);
    expect(t.get('tcp/80')!.cursor).toBe(1);
    expect(full.endpoints[0]!.backends.map((b) => b.taskId)).toEqual(['t1', 't2']); // the message is left as it came

    // Kept in the service's endpoints too: a later delta of another service rebuilds the routes from them.
    t.apply(table([], { full: false, removedServices: ['svc2'] }));
    expect(t.get('tcp/80')!.backends.map((b) => b.taskId)).toEqual(['t2', 't3', 't1']);

    // A change for an endpoint or a service the table does not have, or for a port another service holds, is ignored.
    t.apply(table([], { full: false, backendChanges: [{ ...change, publishedPort: 99 }, { ...change, serviceId: 'svcX' }] }));
    expect([...t.all()].map((r) => `${r.key}:${r.backends.length}`)).toEqual(['tcp/80:3']);
  });

  it('an EndpointSet fed the same messages snapshots one full table that gives a new table every route, changes included', () => {
    const t = new RouteTable();
    const mirror = new EndpointSet();
    for (const m of [
      table([endpoint(80, [backend('t1', '10.0.0.1:1')]), endpoint(53, [backend('u1', '10.0.0.1:2')], { serviceId: 'svc2', protocol: 'udp' }), endpoint(81, [], { serviceId: 'svc3' })]),
      table([], { full: false, backendChanges: [{ serviceId: 'svc1', protocol: 'tcp', publishedPort: 80, added: [backend('t2', '10.0.0.2:1')], removed: ['t1'] }] }),
      table([], { full: false, removedServices: ['svc3'] }),
    ]) {
      t.apply(m);
      mirror.apply(m);
    }
    const copy = new RouteTable();
    copy.apply(table([endpoint(9999, [])])); // what it had before is replaced
    copy.apply(mirror.snapshot());
    const routes = (r: RouteTable) => [...r.all()].map((x) => `${x.key}=${x.serviceId}:${x.backends.map((b) => `${b.taskId}@${b.host}:${b.port}`).join(',')}`).sort();
    expect(routes(copy)).toEqual(['tcp/80=svc1:t2@10.0.0.2:1', 'udp/53=svc2:u1@10.0.0.1:2']);
    expect(routes(copy)).toEqual(routes(t));
  });

  it('keeps the round-robin cursor of a route that stays', () => {
    const t = new RouteTable();
    t.apply(table([endpoint(80, [backend('t1', '10.0.0.1:1')])]));
    t.get('tcp/80')!.cursor = 7;
    t.apply(table([endpoint(80, [backend('t2', '10.0.0.2:1')])]));
    expect(t.get('tcp/80')!.cursor).toBe(7);
  });

  it('a port claimed by two services goes to the lowest service id', () => {
    const t = new RouteTable();
    const { conflicts } = t.apply(table([
      endpoint(80, [backend('t2', '10.0.0.2:1')], { serviceId: 'svcB', serviceName: 'b' }),
      endpoint(80, [backend('t1', '10.0.0.1:1')], { serviceId: 'svcA', serviceName: 'a' }),
    ]));
    expect(t.get('tcp/80')!.serviceName).toBe('a');
    expect(conflicts).toHaveLength(1);
  });

  it('parses backend addresses, dropping bad ones', () => {
    expect(parseAddr('10.0.0.1:80')).toEqual({ host: '10.0.0.1', port: 80 });
    expect(parseAddr('[fe80::1]:8080')).toEqual({ host: 'fe80::1', port: 8080 });
    expect(parseAddr('node-a:443')).toEqual({ host: 'node-a', port: 443 });
    for (const bad of ['10.0.0.1', ':80', '10.0.0.1:0', '10.0.0.1:70000', '10.0.0.1:8x', 'fe80::1:80', '[::1]']) {
      expect(parseAddr(bad)).toBeUndefined();
    }
    const t = new RouteTable();
    t.apply(table([endpoint(80, [backend('t1', 'nope'), backend('t2', '10.0.0.2:5')])]));
    expect(t.get('tcp/80')!.backends.map((b) => b.taskId)).toEqual(['t2']);
  });
});
