import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type ServiceSpec } from '@shoal/api';
import { validateSpec, withDefaults } from '../../../packages/manager/src/controlapi/service-spec.js';

function spec(patch: (s: ServiceSpec) => void = () => undefined): ServiceSpec {
  const s: ServiceSpec = {
    annotations: { name: 'web', labels: {} }, mode: 'replicated', replicas: 1,
    task: {
      container: { image: 'shoal-demo:1', command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '', mounts: [], stopGracePeriodMs: 0 },
      resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } },
      restart: { condition: '', delayMs: 0, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [] },
    },
    endpoint: { ports: [] },
    registryAuth: { username: '', password: '', serverAddress: '' },
  };
  patch(s);
  return s;
}

describe('service spec defaults', () => {
  it('gives a spec without a restart policy swarm defaults: any, 5 s, stop grace 10 s, tcp ingress ports', () => {
    const s = withDefaults(spec((x) => { x.endpoint.ports.push({ protocol: '', targetPort: 80, publishedPort: 8080, publishMode: '' }); }));
    expect(s.task.restart).toMatchObject({ condition: 'any', delayMs: 5000 });
    expect(s.task.container.stopGracePeriodMs).toBe(10_000);
    expect(s.endpoint.ports[0]).toMatchObject({ protocol: 'tcp', publishMode: 'ingress' });
  });

  it('keeps an explicit policy as given, a zero delay included', () => {
    const s = withDefaults(spec((x) => { x.task.restart = { condition: 'on-failure', delayMs: 0, maxAttempts: 2, windowMs: 0 }; }));
    expect(s.task.restart).toEqual({ condition: 'on-failure', delayMs: 0, maxAttempts: 2, windowMs: 0 });
  });

  it('does not change its input', () => {
    const input = spec();
    withDefaults(input);
    expect(input.task.restart.condition).toBe('');
  });
});

describe('service spec validation', () => {
  const cases: Array<[string, (s: ServiceSpec) => void, RegExp]> = [
    ['no name', (s) => { s.annotations.name = ''; }, /a service name is required/],
    ['a name with spaces', (s) => { s.annotations.name = 'my web'; }, /invalid service name "my web"/],
    ['a 64-character name', (s) => { s.annotations.name = 'a'.repeat(64); }, /invalid service name/],
    ['an unknown mode', (s) => { s.mode = 'daemon'; }, /invalid mode "daemon": use replicated or global/],
    ['no image', (s) => { s.task.container.image = ''; }, /an image is required/],
    ['an env entry without a key', (s) => { s.task.container.env = ['=x']; }, /invalid environment variable/],
    ['a bad constraint', (s) => { s.task.placement.constraints = ['node.role=manager']; }, /invalid constraint/],
    ['a negative memory reservation', (s) => { s.task.resources.reservations.memoryBytes = -1; }, /memory reservation/],
    ['a reservation above the limit', (s) => { s.task.resources.limits.memoryBytes = 64 << 20; s.task.resources.reservations.memoryBytes = 128 << 20; }, /exceeds the memory limit/],
    ['a tiny memory limit', (s) => { s.task.resources.limits.memoryBytes = 1024; }, /minimum is 6MiB/],
    ['an unknown restart condition', (s) => { s.task.restart.condition = 'sometimes'; }, /use none, on-failure or any/],
    ['a target port of 0', (s) => { s.endpoint.ports = [{ protocol: 'tcp', targetPort: 0, publishedPort: 80, publishMode: 'host' }]; }, /invalid target port 0/],
    ['a published port above 65535', (s) => { s.endpoint.ports = [{ protocol: 'tcp', targetPort: 80, publishedPort: 70000, publishMode: 'host' }]; }, /invalid published port 70000/],
    ['an unknown protocol', (s) => { s.endpoint.ports = [{ protocol: 'sctp', targetPort: 80, publishedPort: 80, publishMode: 'host' }]; }, /use tcp or udp/],
    ['the same published port twice', (s) => { s.endpoint.ports = [1, 2].map((t) => ({ protocol: 'tcp', targetPort: t, publishedPort: 80, publishMode: 'host' })); }, /given twice/],
    ['a relative bind source', (s) => { s.task.container.mounts = [{ type: 'bind', source: 'data', target: '/data', readOnly: false }]; }, /must be an absolute path/],
    ['a tmpfs with a source', (s) => { s.task.container.mounts = [{ type: 'tmpfs', source: 'x', target: '/t', readOnly: false }]; }, /takes no source/],
    ['an unknown mount type', (s) => { s.task.container.mounts = [{ type: 'nfs', source: 'x', target: '/t', readOnly: false }]; }, /use bind, volume or tmpfs/],
  ];

  it.each(cases)('refuses %s with one clear line', (_what, patch, message) => {
    const s = withDefaults(spec(patch));
    expect(() => validateSpec(s)).toThrow(InvalidArgumentError);
    expect(() => validateSpec(s)).toThrow(message);
  });

  it('accepts a complete, sensible spec', () => {
    expect(() => validateSpec(withDefaults(spec((s) => {
      s.task.container.env = ['A=1', 'B'];
      s.task.placement.constraints = ['node.labels.zone==east', 'node.role!=manager'];
      s.endpoint.ports = [{ protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'host' }];
      s.task.container.mounts = [{ type: 'volume', source: 'data', target: '/data', readOnly: true }, { type: 'tmpfs', source: '', target: '/tmp', readOnly: false }];
    })))).not.toThrow();
  });
});

describe('rollout and health settings', () => {
  const full = { parallelism: 2, delayMs: 0, failureAction: 'rollback', monitorMs: 1000, maxFailureRatio: 0.2, order: 'start-first' };

  it('gives an unset update or rollback config swarm defaults, and keeps a given one (parallelism 0 included)', () => {
    const s = withDefaults(spec());
    expect(s.update).toEqual({ parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5000, maxFailureRatio: 0, order: 'stop-first' });
    expect(s.rollback).toEqual(s.update);
    const given = withDefaults(spec((x) => { x.update = { ...full, parallelism: 0 }; }));
    expect(given.update).toEqual({ ...full, parallelism: 0 });
  });

  it.each([
    [(x: ServiceSpec) => { x.update = { ...full, parallelism: -1 }; }, 'invalid update parallelism -1: must be 0 (all at once) or more'],
    [(x: ServiceSpec) => { x.update = { ...full, maxFailureRatio: 1.5 }; }, 'invalid update max failure ratio 1.5: use a number from 0 to 1'],
    [(x: ServiceSpec) => { x.update = { ...full, order: 'random' }; }, 'invalid update order "random": use stop-first or start-first'],
    [(x: ServiceSpec) => { x.update = { ...full, failureAction: 'explode' }; }, 'invalid update failure action "explode": use pause, continue or rollback'],
    [(x: ServiceSpec) => { x.rollback = { ...full, failureAction: 'rollback' }; }, 'invalid rollback failure action "rollback": use pause or continue'],
    [(x: ServiceSpec) => { x.update = { ...full, delayMs: -5 }; }, 'invalid update delay: must not be negative'],
    [(x: ServiceSpec) => { x.task.container.healthcheck = { test: ['SHELL', 'true'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 }; }, 'invalid health check test "SHELL": use NONE, CMD or CMD-SHELL'],
    [(x: ServiceSpec) => { x.task.container.healthcheck = { test: ['CMD-SHELL'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 }; }, 'a CMD-SHELL health check needs a command'],
    [(x: ServiceSpec) => { x.task.container.healthcheck = { test: [], intervalMs: -1, timeoutMs: 0, retries: 0, startPeriodMs: 0 }; }, 'invalid health interval: must not be negative'],
  ])('refuses %#: %s', (patch, message) => {
    expect(() => validateSpec(withDefaults(spec(patch)))).toThrow(new InvalidArgumentError(message));
  });
});
