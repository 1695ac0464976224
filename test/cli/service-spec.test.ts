import { describe, expect, it } from 'vitest';
import { registryAuthFromConfig, registryOf } from '../../packages/cli/src/parse/registry-auth.js';
import { buildServiceSpec, defaultServiceName, type CreateFlags } from '../../packages/cli/src/parse/service-spec.js';

const ctx = { env: { TOKEN: 's3cret' }, randomSuffix: 'x7k2q9' };
const build = (flags: CreateFlags, image = 'shoal-demo:1', args: string[] = []) => buildServiceSpec(flags, image, args, ctx);

describe('buildServiceSpec', () => {
  it('gives swarm defaults to a bare service create', () => {
    expect(build({ name: 'web' })).toEqual({
      annotations: { name: 'web', labels: {} },
      mode: 'replicated',
      replicas: 1,
      task: {
        container: {
          image: 'shoal-demo:1', command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '', mounts: [],
          stopGracePeriodMs: 10_000, healthcheck: { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 },
        },
        resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } },
        restart: { condition: 'any', delayMs: 5_000, maxAttempts: 0, windowMs: 0 },
        placement: { constraints: [] },
      },
      endpoint: { ports: [] },
      update: { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5_000, maxFailureRatio: 0, order: 'stop-first' },
      rollback: { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5_000, maxFailureRatio: 0, order: 'stop-first' },
    });
  });

  it('maps every flag', () => {
    const spec = build({
      name: 'api', replicas: '3', env: ['A=1', 'TOKEN'], label: ['tier=front'], containerLabel: ['c=1'],
      constraint: ['node.labels.zone==east', 'node.role!=manager'], reserveCpu: '0.5', reserveMemory: '256M', limitCpu: '2',
      limitMemory: '1G', publish: ['8080:80', 'mode=host,published=5353,target=53,protocol=udp'],
      mount: ['type=bind,source=/srv,target=/data,readonly'], restartCondition: 'on-failure', restartDelay: '1s',
      restartMaxAttempts: '3', restartWindow: '1m', hostname: 'h', workdir: '/app', user: 'nobody', stopGracePeriod: '30s',
    }, 'nginx:1.25', ['nginx', '-g', 'daemon off;']);
    expect(spec.replicas).toBe(3);
    expect(spec.annotations).toEqual({ name: 'api', labels: { tier: 'front' } });
    expect(spec.task?.container).toMatchObject({
      image: 'nginx:1.25', command: [], args: ['nginx', '-g', 'daemon off;'], env: ['A=1', 'TOKEN=s3cret'], labels: { c: '1' },
      hostname: 'h', dir: '/app', user: 'nobody', stopGracePeriodMs: 30_000,
      mounts: [{ type: 'bind', source: '/srv', target: '/data', readOnly: true }],
    });
    expect(spec.task?.resources).toEqual({
      limits: { nanoCpus: 2e9, memoryBytes: 1024 ** 3 }, reservations: { nanoCpus: 5e8, memoryBytes: 256 * 1024 ** 2 },
    });
    expect(spec.task?.restart).toEqual({ condition: 'on-failure', delayMs: 1000, maxAttempts: 3, windowMs: 60_000 });
    expect(spec.task?.placement?.constraints).toEqual(['node.labels.zone==east', 'node.role!=manager']);
    expect(spec.endpoint?.ports).toEqual([
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
      { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'host' },
    ]);
  });

  it('leaves replicas out of a global service', () => {
    const spec = build({ name: 'agentd', mode: 'global' });
    expect(spec.mode).toBe('global');
    expect('replicas' in spec).toBe(false);
  });

  it('names a service without --name after its image', () => {
    expect(build({}).annotations?.name).toBe('shoal-demo-x7k2q9');
    expect(defaultServiceName('registry.local:5000/team/api@sha256:abc', 'q')).toBe('api-q');
    expect(defaultServiceName('___', 'q')).toBe('service-q');
  });

  it('attaches registry credentials when given', () => {
    const registryAuth = { username: 'u', password: 'p', serverAddress: 'r.io' };
    expect(buildServiceSpec({ name: 'x' }, 'r.io/x', [], { ...ctx, registryAuth }).registryAuth).toEqual(registryAuth);
  });

  it.each<[string, CreateFlags, RegExp]>([
    ['a bad name', { name: 'bad name!' }, /invalid service name "bad name!"/],
    ['negative replicas', { replicas: '-1' }, /invalid replicas value "-1": must be a non-negative integer/],
    ['replicas with global', { mode: 'global', replicas: '2' }, /--replicas can only be used with replicated mode/],
    ['an unknown mode', { mode: 'job' }, /invalid mode "job": use replicated, global/],
    ['a bad duration', { restartDelay: '5 parsecs' }, /invalid restart delay "5 parsecs".*duration/],
    ['a bad grace period', { stopGracePeriod: 'soon' }, /invalid stop grace period/],
    ['a bad memory size', { reserveMemory: '12XB' }, /invalid memory reservation "12XB"/],
    ['a bad cpu count', { limitCpu: 'lots' }, /invalid CPU count "lots"/],
    ['a bad constraint', { constraint: ['node.color~red'] }, /invalid constraint "node.color~red"/],
    ['an unknown constraint key', { constraint: ['node.colour==red'] }, /unknown key "node.colour"/],
    ['a port out of range', { publish: ['mode=host,published=70000,target=80'] }, /invalid publish/],
    ['a port published twice', { publish: ['8080:80', '8080:81'] }, /port 8080\/tcp is published more than once/],
    ['a relative bind', { mount: ['type=bind,source=rel,target=/x'] }, /invalid mount/],
    ['an unknown restart condition', { restartCondition: 'always' }, /invalid restart condition "always": use none, on-failure, any/],
    ['bad max attempts', { restartMaxAttempts: '-2' }, /invalid restart max attempts value "-2"/],
    ['a bad label', { label: ['=x'] }, /invalid label/],
    ['a bad env', { env: ['=x'] }, /invalid environment variable/],
  ])('refuses %s', (_what, flags, why) => {
    expect(() => build(flags)).toThrow(why);
  });

  it('refuses an empty image', () => expect(() => build({ name: 'x' }, ' ')).toThrow(/an image is required/));
});

describe('registry auth', () => {
  it.each([
    ['nginx', 'https://index.docker.io/v1/'],
    ['library/nginx:1', 'https://index.docker.io/v1/'],
    ['ghcr.io/org/app:1', 'ghcr.io'],
    ['localhost/app', 'localhost'],
    ['registry.local:5000/app', 'registry.local:5000'],
  ])('registry of %s', (image, want) => expect(registryOf(image)).toBe(want));

  const config = JSON.stringify({
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('hubuser:hubpass').toString('base64') },
      'ghcr.io': { username: 'gh', password: 'tok' },
    },
  });

  it('reads inline credentials for the image registry', () => {
    expect(registryAuthFromConfig(config, 'nginx')).toEqual({ username: 'hubuser', password: 'hubpass', serverAddress: 'https://index.docker.io/v1/' });
    expect(registryAuthFromConfig(config, 'ghcr.io/org/app')).toEqual({ username: 'gh', password: 'tok', serverAddress: 'ghcr.io' });
    expect(registryAuthFromConfig(config, 'quay.io/x')).toBeUndefined();
    expect(() => registryAuthFromConfig('{', 'nginx')).toThrow(/not valid JSON/);
  });
});
