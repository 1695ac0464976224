import { describe, expect, it } from 'vitest';
import { filterNodes, parseNodeFilters } from '../../packages/cli/src/filter/nodes.js';
import { filterServices, parseServiceFilters } from '../../packages/cli/src/filter/services.js';
import { filterTasks, parseTaskFilters } from '../../packages/cli/src/filter/tasks.js';
import { matchesFilters, matchesLabel, parseFilters } from '../../packages/cli/src/parse/filter.js';
import { controlSocketHost, grpcTarget, parseHostPort, resolveHost } from '../../packages/cli/src/parse/host.js';
import { node, service, task } from './fixtures.js';

describe('host', () => {
  it('prefers --host, then $SHOAL_HOST, then ~/.shoal/control.sock', () => {
    expect(resolveHost('h:1', { SHOAL_HOST: 'e:2' }, '/home/u')).toBe('h:1');
    expect(resolveHost(undefined, { SHOAL_HOST: 'e:2' }, '/home/u')).toBe('e:2');
    expect(resolveHost(undefined, {}, '/home/u')).toBe('unix:///home/u/.shoal/control.sock');
    expect(resolveHost(undefined, { SHOAL_HOST: '' }, '/home/u')).toBe('unix:///home/u/.shoal/control.sock');
    expect(controlSocketHost('/var/lib/shoal')).toBe('unix:///var/lib/shoal/control.sock');
  });

  it.each([
    ['unix:///run/shoal/control.sock', 'unix:///run/shoal/control.sock'],
    ['127.0.0.1:4242', '127.0.0.1:4242'],
    ['tcp://10.0.0.1:4242', '10.0.0.1:4242'],
    ['manager.local:4242', 'manager.local:4242'],
    ['[::1]:4242', '[::1]:4242'],
  ])('target of %s', (host, want) => expect(grpcTarget(host)).toBe(want));

  it.each(['unix://relative.sock', 'foo', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:99999', 'http://x:1'])('refuses host %j', (host) => {
    expect(() => grpcTarget(host)).toThrow(/invalid host .*unix:\/\/\/path\/to\/control.sock or HOST:PORT/);
  });

  it('parses listen addresses, with port 0 only where allowed', () => {
    expect(parseHostPort('0.0.0.0:0', 'listen address', true)).toEqual({ host: '0.0.0.0', port: 0 });
    expect(() => parseHostPort('0.0.0.0:0', 'manager address', false)).toThrow(/port from 1 to 65535/);
    expect(() => parseHostPort('4242', 'listen address', true)).toThrow(/invalid listen address "4242": use HOST:PORT/);
  });
});

describe('filters', () => {
  it('groups values by key and refuses unknown keys or a missing =', () => {
    expect(parseFilters(['name=a', 'name=b', 'id=x'], ['id', 'name'])).toEqual(new Map([['name', ['a', 'b']], ['id', ['x']]]));
    expect(() => parseFilters(['color=red'], ['id', 'name'])).toThrow('invalid filter key "color": use one of id, name');
    expect(() => parseFilters(['name'], ['id', 'name'])).toThrow(/invalid filter "name": use KEY=VALUE/);
  });

  it('ORs the values of one key and ANDs different keys', () => {
    const tests = { n: (x: { n: number; s: string }, v: string) => String(x.n) === v, s: (x: { n: number; s: string }, v: string) => x.s === v };
    const f = parseFilters(['n=1', 'n=2', 's=a'], ['n', 's']);
    expect(matchesFilters({ n: 1, s: 'a' }, f, tests)).toBe(true);
    expect(matchesFilters({ n: 2, s: 'a' }, f, tests)).toBe(true);
    expect(matchesFilters({ n: 3, s: 'a' }, f, tests)).toBe(false);
    expect(matchesFilters({ n: 1, s: 'b' }, f, tests)).toBe(false);
    expect(matchesFilters({ n: 9, s: 'z' }, new Map(), tests)).toBe(true);
  });

  it.each([
    ['zone', true], ['zone=east', true], ['zone=west', false], ['rack', false], ['zone=', false],
  ])('label filter %s', (f, want) => expect(matchesLabel({ zone: 'east' }, f)).toBe(want));

  it('filters services by name/id prefix, mode and label', () => {
    const all = [
      service({ id: 'aaa1', name: 'web', labels: { tier: 'front' } }),
      service({ id: 'bbb2', name: 'worker', mode: 'global' }),
      service({ id: 'ccc3', name: 'db' }),
    ];
    const names = (texts: string[]) => filterServices(all, parseServiceFilters(texts)).map((s) => s.spec.annotations.name);
    expect(names(['name=w'])).toEqual(['web', 'worker']);
    expect(names(['name=w', 'mode=replicated'])).toEqual(['web']);
    expect(names(['id=cc'])).toEqual(['db']);
    expect(names(['label=tier=front'])).toEqual(['web']);
    expect(names(['name=web', 'name=db'])).toEqual(['web', 'db']);
    expect(() => parseServiceFilters(['mode=jobs'])).toThrow(/invalid mode filter "jobs"/);
    expect(() => parseServiceFilters(['node=x'])).toThrow(/invalid filter key "node"/);
  });

  it('filters nodes by id, name, role, availability and labels', () => {
    const all = [
      node({ id: 'n1', hostname: 'manager-1', role: 'manager', leader: true }),
      node({ id: 'n2', hostname: 'node-1', labels: { zone: 'east' }, availability: 'drain' }),
      node({ id: 'n3', hostname: 'node-2', engineLabels: { ssd: 'true' } }),
    ];
    const ids = (texts: string[]) => filterNodes(all, parseNodeFilters(texts)).map((n) => n.id);
    expect(ids(['role=manager'])).toEqual(['n1']);
    expect(ids(['role=worker'])).toEqual(['n2', 'n3']);
    expect(ids(['name=node-'])).toEqual(['n2', 'n3']);
    expect(ids(['node.label=zone=east'])).toEqual(['n2']);
    expect(ids(['label=ssd'])).toEqual(['n3']);
    expect(ids(['availability=drain'])).toEqual(['n2']);
    expect(() => parseNodeFilters(['role=boss'])).toThrow(/invalid role filter/);
  });

  it('filters tasks by desired state, node (id or hostname), name and id', () => {
    const all = [
      task({ id: 't1', slot: 1, node: 'n1', desired: 'RUNNING' }),
      task({ id: 't2', slot: 1, node: 'n1', desired: 'SHUTDOWN', state: 'FAILED' }),
      task({ id: 't3', slot: 2, node: 'n2', desired: 'RUNNING' }),
      task({ id: 'u4', slot: 12, node: 'n2', desired: 'REMOVE' }),
    ];
    const hostnames = new Map([['n1', 'node-1'], ['n2', 'node-2']]);
    const ids = (texts: string[]) => filterTasks(all, parseTaskFilters(texts), hostnames).map((t) => t.id);
    expect(ids(['desired-state=running'])).toEqual(['t1', 't3']);
    expect(ids(['desired-state=shutdown'])).toEqual(['t2', 'u4']);
    expect(ids(['node=node-2'])).toEqual(['t3', 'u4']);
    expect(ids(['node=n1', 'desired-state=running'])).toEqual(['t1']);
    expect(ids(['name=web.1'])).toEqual(['t1', 't2', 'u4']);
    expect(ids(['id=t'])).toEqual(['t1', 't2', 't3']);
    expect(() => parseTaskFilters(['desired-state=dead'])).toThrow('invalid desired-state filter "dead": use running, shutdown, accepted');
  });
});
