import { describe, expect, it } from 'vitest';
import { LogDemuxer, parseTimestamped, sinceParam } from '../../packages/agent/src/docker/logs.js';
import { containerConfig, containerName, healthcheckConfig } from '../../packages/agent/src/docker/container-config.js';
import { boundPorts } from '../../packages/agent/src/docker/controller.js';
import { healthOf, parseHealthEvent } from '../../packages/agent/src/docker/health.js';
import { splitImage } from '../../packages/agent/src/docker/image-puller.js';
import { describeNode, parseEngineLabels } from '../../packages/agent/src/description.js';
import { TEST_IMAGE } from '../e2e/images.js';
import { makeTask } from './helpers.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('log demultiplexing', () => {
  const body = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err ✓\n'), frame(1, 'o\nthree'), frame(1, '\r\n'), frame(2, 'tail')]);

  for (const chunkSize of [1, 3, 7, 8, 9, 1_000]) {
    it(`splits frames and lines cut into ${chunkSize}-byte chunks`, () => {
      const lines: string[] = [];
      const demuxer = new LogDemuxer((stream, line) => lines.push(`${stream}:${line}`));
      for (let i = 0; i < body.length; i += chunkSize) demuxer.push(body.subarray(i, i + chunkSize));
      demuxer.end();
      expect(lines).toEqual(['stdout:one', 'stderr:err ✓', 'stdout:two', 'stdout:three', 'stderr:tail']);
    });
  }
});

describe('log timestamps', () => {
  const cases: [string, number, string][] = [
    ['2024-01-02T03:04:05.123456789Z hello world', Date.UTC(2024, 0, 2, 3, 4, 5) * 1e6 + 123_456_789, 'hello world'],
    ['2024-01-02T03:04:05.5Z x', Date.UTC(2024, 0, 2, 3, 4, 5) * 1e6 + 500_000_000, 'x'],
    ['2024-01-02T03:04:05Z ', Date.UTC(2024, 0, 2, 3, 4, 5) * 1e6, ''],
    ['2024-01-02T05:04:05.000000001+02:00 tz', Date.UTC(2024, 0, 2, 3, 4, 5) * 1e6 + 1, 'tz'],
    ['no timestamp here', 0, 'no timestamp here'],
  ];
  for (const [raw, ns, line] of cases) {
    it(`parses ${JSON.stringify(raw)}`, () => {
      const parsed = parseTimestamped(raw);
      expect(parsed.line).toBe(line);
      expect(Math.abs(parsed.timestampNs - ns)).toBeLessThan(512); // doubles past 2^53
    });
  }

  it('formats since as seconds with a fraction', () => {
    expect(sinceParam(1_700_000_000_123)).toBe('1700000000.123');
    expect(sinceParam(1_700_000_000_005)).toBe('1700000000.005');
  });
});

describe('container config', () => {
  it('names replicated tasks SERVICE.SLOT.TASKID and global ones SERVICE.NODEID.TASKID', () => {
    expect(containerName(makeTask({ serviceName: 'web', slot: 3, id: 'abc' }))).toBe('web.3.abc');
    expect(containerName(makeTask({ serviceName: 'mon', slot: 0, nodeId: 'n9', id: 'abc' }))).toBe('mon.n9.abc');
  });

  it('maps the spec onto the engine request', () => {
    const task = makeTask({ id: 't1', serviceId: 's1', serviceName: 'web', slot: 2, graceMs: 2_500 });
    task.spec.container = {
      ...task.spec.container, command: ['/bin/sh', '-c'], args: ['echo hi'], env: ['A=1'], labels: { team: 'x', 'shoal.task.id': 'forged' },
      hostname: 'h', dir: '/w', user: 'nobody',
      mounts: [
        { type: 'bind', source: '/src', target: '/b', readOnly: true },
        { type: 'volume', source: 'vol', target: '/v', readOnly: false },
        { type: 'tmpfs', source: '', target: '/t', readOnly: false },
      ],
    };
    task.spec.resources = { limits: { nanoCpus: 500_000_000, memoryBytes: 64 << 20 }, reservations: { nanoCpus: 0, memoryBytes: 32 << 20 } };
    task.endpoint = { ports: [
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'host' },
      { protocol: 'udp', targetPort: 53, publishedPort: 0, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 443, publishedPort: 443, publishMode: 'ingress' },
    ] };
    const config = containerConfig(task, { id: 'node1', advertise: '127.0.0.2' });
    expect(config).toMatchObject({
      name: 'web.2.t1', Image: TEST_IMAGE, Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo hi'], Env: ['A=1'],
      Hostname: 'h', WorkingDir: '/w', User: 'nobody', StopTimeout: 3,
      Labels: { team: 'x', 'shoal.task.id': 't1', 'shoal.service.id': 's1', 'shoal.service.name': 'web', 'shoal.node.id': 'node1', 'shoal.slot': '2' },
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '443/tcp': {} },
      HostConfig: {
        NanoCpus: 500_000_000, Memory: 64 << 20, MemoryReservation: 32 << 20,
        // An ingress port's target is published on an engine-chosen port of the node's address: the mesh's backend.
        PortBindings: {
          '80/tcp': [{ HostIp: '127.0.0.2', HostPort: '8080' }],
          '53/udp': [{ HostIp: '127.0.0.2', HostPort: '' }],
          '443/tcp': [{ HostIp: '127.0.0.2', HostPort: '' }],
        },
        RestartPolicy: { Name: 'no' },
        Mounts: [
          { Type: 'bind', Source: '/src', Target: '/b', ReadOnly: true },
          { Type: 'volume', Source: 'vol', Target: '/v', ReadOnly: false },
          { Type: 'tmpfs', Target: '/t' },
        ],
      },
    });
  });

  it('binds a target published in both modes twice, in the order of the ports', () => {
    const task = makeTask();
    task.endpoint = { ports: [
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 80, publishedPort: 9090, publishMode: 'host' },
    ] };
    expect(containerConfig(task, { id: 'n', advertise: '127.0.0.3' }).HostConfig?.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.3', HostPort: '' }, { HostIp: '127.0.0.3', HostPort: '9090' }],
    });
  });

  it('reports the ports as bound: an ingress port with the engine-chosen port, a host port with its own', () => {
    const ports = [
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
      { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 80, publishedPort: 0, publishMode: 'host' },
      { protocol: '', targetPort: 443, publishedPort: 443, publishMode: 'host' },
    ];
    expect(boundPorts(ports, {
      '80/tcp': [{ HostIp: '127.0.0.2', HostPort: '32768' }, { HostIp: '127.0.0.2', HostPort: '32769' }],
      '53/udp': [{ HostIp: '127.0.0.2', HostPort: '32770' }],
      '443/tcp': null,
    })).toEqual([
      { protocol: 'tcp', targetPort: 80, publishedPort: 32768, publishMode: 'ingress' },
      { protocol: 'udp', targetPort: 53, publishedPort: 32770, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 80, publishedPort: 32769, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 443, publishedPort: 443, publishMode: 'host' },
    ]);
    // Not bound (a stopped container): an ingress port has no backend port.
    expect(boundPorts(ports.slice(0, 1), {})).toEqual([{ protocol: 'tcp', targetPort: 80, publishedPort: 0, publishMode: 'ingress' }]);
  });

  it('keeps the image defaults when command and args are empty', () => {
    const config = containerConfig(makeTask(), { id: 'n', advertise: '127.0.0.1' });
    expect(config.Entrypoint).toBeUndefined();
    expect(config.Cmd).toBeUndefined();
    expect(config.StopTimeout).toBe(10);
  });

  it('splits image references', () => {
    expect(splitImage('busybox')).toEqual({ repository: 'busybox', tag: 'latest' });
    expect(splitImage('127.0.0.1:5999/nope:1')).toEqual({ repository: '127.0.0.1:5999/nope', tag: '1' });
    expect(splitImage('reg:5000/a/b')).toEqual({ repository: 'reg:5000/a/b', tag: 'latest' });
    expect(splitImage('a@sha256:abc')).toEqual({ repository: 'a', tag: 'sha256:abc' });
  });
});

describe('node description', () => {
  it('comes from docker info, with the agent labels over the engine labels', () => {
    const d = describeNode(
      { OSType: 'linux', Architecture: 'x86_64', NCPU: 2, MemTotal: 1024, Labels: ['zone=east', 'ssd=true', 'bare'], ServerVersion: '20.10.24' },
      'host1', { zone: 'west' },
    );
    expect(d).toEqual({
      hostname: 'host1', platform: { os: 'linux', architecture: 'x86_64' }, resources: { nanoCpus: 2e9, memoryBytes: 1024 },
      engineLabels: { zone: 'west', ssd: 'true', bare: '' }, engineVersion: '20.10.24',
    });
  });

  it('falls back to the host while the engine is down', () => {
    const d = describeNode(undefined, 'h', {});
    expect(d.platform.os).toBe('linux');
    expect(d.platform.architecture).toBe(process.arch === 'x64' ? 'x86_64' : expect.any(String));
    expect(d.resources.nanoCpus).toBeGreaterThan(0);
    expect(d.engineVersion).toBe('');
  });

  it('parses engine labels', () => {
    expect(parseEngineLabels(['a=b=c', 'x='])).toEqual({ a: 'b=c', x: '' });
  });
});

describe('health checks for the engine', () => {
  const none = { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };
  const cases: [string, typeof none | undefined, unknown][] = [
    ['no spec: the image\'s check as it is', undefined, undefined],
    ['an empty spec: the image\'s check as it is', none, undefined],
    ['NONE disables the image\'s check', { ...none, test: ['NONE'], intervalMs: 5_000 }, { Test: ['NONE'] }],
    ['a command replaces it, durations in ns', { test: ['CMD-SHELL', 'test -f /ok'], intervalMs: 1_500, timeoutMs: 2_000, retries: 2, startPeriodMs: 10_000 },
      { Test: ['CMD-SHELL', 'test -f /ok'], Interval: 1_500_000_000, Timeout: 2_000_000_000, Retries: 2, StartPeriod: 10_000_000_000 }],
    ['zero fields are left to the engine (its default, or the image\'s)', { ...none, test: ['CMD', 'true'] }, { Test: ['CMD', 'true'] }],
    ['durations alone override the image\'s, keeping its command', { ...none, intervalMs: 2_000, retries: 5 }, { Interval: 2_000_000_000, Retries: 5 }],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => {
      const config = healthcheckConfig(spec);
      if (expected === undefined) expect(config).toBeUndefined();
      else expect(JSON.parse(JSON.stringify(config)) as unknown).toEqual(expected); // undefined fields are not sent
    });
  }

  it('goes into the create request', () => {
    const task = makeTask();
    task.spec.container.healthcheck = { ...none, test: ['CMD', 'true'] };
    expect(containerConfig(task, { id: 'n', advertise: '127.0.0.1' }).Healthcheck).toEqual(expect.objectContaining({ Test: ['CMD', 'true'] }));
    expect(containerConfig(makeTask(), { id: 'n', advertise: '127.0.0.1' }).Healthcheck).toBeUndefined();
  });

  const inspected = (health: string | undefined, test: string[] | undefined, running: boolean) => ({
    State: { Running: running, Health: health === undefined ? undefined : { Status: health, FailingStreak: 0, Log: [] } },
    Config: { Healthcheck: test === undefined ? undefined : { Test: test } },
  }) as unknown as Parameters<typeof healthOf>[0];
  const check = ['CMD-SHELL', 'true'];
  const healthCases: [string, string | undefined, string[] | undefined, boolean, string][] = [
    ['no check', undefined, undefined, true, ''],
    ['disabled', undefined, ['NONE'], true, ''],
    ['an empty test', undefined, [], true, ''],
    ['created, not started yet', undefined, check, false, 'starting'],
    ['running, no result yet', 'starting', check, true, 'starting'],
    ['running and passing', 'healthy', check, true, 'healthy'],
    ['running and failing', 'unhealthy', check, true, 'unhealthy'],
    ['exited (the engine marks a stopped check unhealthy): no verdict', 'unhealthy', check, false, 'starting'],
  ];
  for (const [name, state, test, running, expected] of healthCases) {
    it(`reads health from inspect: ${name}`, () => {
      expect(healthOf(inspected(state, test, running))).toBe(expected);
    });
  }

  it('parses health_status events, ignoring any other line', () => {
    const event = (action: string, name = 'web.1.t1', type = 'container') => JSON.stringify({
      Type: type, Action: action, Actor: { ID: 'abc', Attributes: { name, image: 'x' } }, time: 1, timeNano: 1,
    });
    expect(parseHealthEvent(event('health_status: healthy'))).toEqual({ name: 'web.1.t1', health: 'healthy' });
    expect(parseHealthEvent(event('health_status: unhealthy'))).toEqual({ name: 'web.1.t1', health: 'unhealthy' });
    expect(parseHealthEvent(event('health_status: starting'))).toEqual({ name: 'web.1.t1', health: 'starting' });
    expect(parseHealthEvent(event('die'))).toBeUndefined();
    expect(parseHealthEvent(event('health_status: healthy', 'x', 'network'))).toBeUndefined();
    expect(parseHealthEvent('{not json')).toBeUndefined();
    expect(parseHealthEvent('')).toBeUndefined();
  });
});
