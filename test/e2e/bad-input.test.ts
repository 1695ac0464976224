// Every invalid input gets one clear line, a non-zero exit, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import { createLogger } from '@shoal/api';
import { startManager } from '@shoal/manager';
import { TestCluster, run, freePort } from './harness.js';
import { TEST_IMAGE } from './images.js';

describe('bad input', () => {
  const c = new TestCluster();
  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s' });
    await c.ok('service', 'create', '--name', 'keep', '--replicas', '0', '-d', TEST_IMAGE);
  });
  afterAll(() => c.destroy());

  const cases: Array<[string, string[], RegExp]> = [
    ['an invalid service name', ['service', 'create', '--name', 'bad name!', TEST_IMAGE], /invalid service name/],
    ['a duplicate service name', ['service', 'create', '--name', 'keep', TEST_IMAGE], /already exists/],
    ['negative replicas', ['service', 'create', '--replicas', '-1', TEST_IMAGE], /replicas/],
    ['non-numeric replicas', ['service', 'create', '--replicas', 'abc', TEST_IMAGE], /replicas/],
    ['a malformed duration', ['service', 'create', '--restart-delay', '5 parsecs', TEST_IMAGE], /duration/],
    ['a malformed memory size', ['service', 'create', '--reserve-memory', '12XB', TEST_IMAGE], /memory/],
    ['a malformed constraint', ['service', 'create', '--constraint', 'node.color~red', TEST_IMAGE], /constraint/],
    ['an unknown constraint key', ['service', 'create', '--constraint', 'node.colour==red', TEST_IMAGE], /constraint/],
    ['a port out of range', ['service', 'create', '--publish', 'mode=host,published=70000,target=80', TEST_IMAGE], /port/],
    ['a malformed port spec', ['service', 'create', '--publish', 'published=,target', TEST_IMAGE], /publish|port/],
    ['an ingress port out of range', ['service', 'create', '-p', '70000:80', TEST_IMAGE], /published port "70000" is not a number from 1 to 65535/],
    ['an unknown publish mode', ['service', 'create', '--publish', 'published=8080,target=80,mode=vip', TEST_IMAGE], /unknown mode "vip" \(ingress or host\)/],
    ['an unknown publish protocol', ['service', 'create', '--publish', 'published=8080,target=80,protocol=sctp', TEST_IMAGE], /unknown protocol "sctp" \(tcp or udp\)/],
    ['an unknown mode in --publish-add', ['service', 'update', '--publish-add', 'published=8080,target=80,mode=vip', 'keep'], /unknown mode "vip"/],
    ['a relative bind mount', ['service', 'create', '--mount', 'type=bind,source=rel,target=/x', TEST_IMAGE], /mount/],
    ['an unknown mount type', ['service', 'create', '--mount', 'type=nfs,source=a,target=/x', TEST_IMAGE], /mount/],
    ['an unknown service', ['service', 'inspect', 'nope'], /nope/],
    ['scaling an unknown service', ['service', 'scale', 'nope=3'], /nope/],
    ['a malformed scale', ['service', 'scale', 'keep=many'], /replicas|scale/],
    ['an unknown node', ['node', 'inspect', 'nope'], /nope/],
    ['inspect --format with --pretty', ['service', 'inspect', '--pretty', '--format', '{{.id}}', 'keep'], /--format and --pretty cannot be used together/],
    ['an inspect template with a field the JSON lacks', ['service', 'inspect', '--format', '{{.Spec.Name}}', 'keep'], /invalid format: no field "Spec" in the object; its fields are endpoints, id, meta, spec,/],
    ['an inspect template it cannot run', ['node', 'inspect', '-f', '{{range .mesh}}{{.addr}}{{end}}', 'manager-1'], /invalid format "\{\{range/],
    ['an unknown availability', ['node', 'update', '--availability', 'sleepy', 'manager-1'], /availability/],
    ['removing the manager node', ['node', 'rm', 'manager-1'], /manager/],
    ['a malformed heartbeat', ['cluster', 'update', '--dispatcher-heartbeat', 'soon'], /duration/],
  ];

  it.each(cases)('refuses %s with one line and a non-zero exit, changing nothing', async (_what, args, message) => {
    const before = await c.ok('service', 'inspect', 'keep');
    const r = await c.shoal(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect((await c.ok('service', 'ls', '-q')).trim().split('\n')).toHaveLength(1);
    expect(await c.ok('service', 'inspect', 'keep')).toBe(before);
  });

  it('says when the manager cannot be reached', async () => {
    const port = await freePort();
    const r = await run(['service', 'ls'], { SHOAL_HOST: `127.0.0.1:${port}` });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(`cannot reach manager at 127.0.0.1:${port}`);
  });

  it('refuses a --mesh-listen that is not an IP address with one line', async () => {
    const r = await run(['agent', '--join', c.managerAddr, '--token', 'SHTKN-1-x-y', '--advertise', '127.0.0.9', '--mesh-listen', '127.0.0.9:80', '--data-dir', join(c.dir, 'bad-mesh-agent')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('Error: invalid mesh listen address "127.0.0.9:80": use an IP address of this host (no port), e.g. 10.0.0.2, or 0.0.0.0 for all');
  });

  it('refuses a malformed --events-kept with one line, before making any data dir', async () => {
    const port = await freePort();
    const dataDir = join(c.dir, 'events-kept-manager');
    const r = await run(['manager', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, '--events-kept', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('Error: invalid --events-kept "0": use a whole number of events from 1 to 100000');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a wrong join token at once', async () => {
    const started = Date.now();
    const r = await run(['agent', '--join', c.managerAddr, '--token', 'SHTKN-1-wrong-token', '--advertise', '127.0.0.9', '--data-dir', join(c.dir, 'bad-agent')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/invalid join token/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await c.nodes()).map((n) => n.Hostname)).toEqual(['manager-1']);
  });

  it('refuses a manager data dir held by another process', async () => {
    const port = await freePort();
    const r = await run(['manager', '--listen', `127.0.0.1:${port}`, '--data-dir', join(c.dir, 'manager')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/in use by another shoal process/);
  });

  it('refuses a data dir whose Raft log has a corrupt entry with one line naming it, and deletes nothing', async () => {
    const dataDir = join(c.dir, 'corrupt-manager');
    const m = await startManager({ listen: '127.0.0.1:0', dataDir, logger: createLogger('test', 'silent') });
    await m.stop();
    const raftDir = join(dataDir, 'raft');
    const db = new Level<string, Uint8Array>(raftDir, { valueEncoding: 'view' });
    const [key] = await db.keys({ gte: 'e/', lt: 'e0', reverse: true, limit: 1 }).all();
    const value = (await db.get(key!))!;
    value[value.length - 1]! ^= 0xff;
    await db.put(key!, value);
    const before = await db.iterator().all();
    await db.close();

    const port = await freePort();
    const r = await run(['manager', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`corrupt Raft log in ${raftDir}: entry ${Number(key!.slice(2))} fails its checksum`)]);
    const again = new Level<string, Uint8Array>(raftDir, { valueEncoding: 'view' });
    expect(await again.iterator().all()).toEqual(before);
    await again.close();
  });
});
