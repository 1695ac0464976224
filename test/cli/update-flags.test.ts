import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '@shoal/api';
import {
  applyHealthFlags, applyRolloutFlags, DEFAULT_UPDATE_CONFIG, IMAGE_HEALTHCHECK,
} from '../../packages/cli/src/parse/rollout.js';
import { buildServiceSpec } from '../../packages/cli/src/parse/service-spec.js';
import { splitShellWords } from '../../packages/cli/src/parse/shell-words.js';
import {
  applyUpdateFlags, blankSpec, changedUpdateFlags, parsePublishRm, type UpdateFlags,
} from '../../packages/cli/src/parse/update-flags.js';
import { ROLLOUT_DEFAULTS, service } from './fixtures.js';

describe('applyRolloutFlags', () => {
  it('applies every flag over the base', () => {
    expect(applyRolloutFlags(DEFAULT_UPDATE_CONFIG, {
      parallelism: '2', delay: '10s', failureAction: 'rollback', monitor: '1m', maxFailureRatio: '0.25', order: 'start-first',
    }, 'update')).toEqual({ parallelism: 2, delayMs: 10_000, failureAction: 'rollback', monitorMs: 60_000, maxFailureRatio: 0.25, order: 'start-first' });
  });

  it('keeps what no flag names', () => {
    const base = { ...DEFAULT_UPDATE_CONFIG, parallelism: 3, delayMs: 500 };
    expect(applyRolloutFlags(base, { order: 'start-first' }, 'rollback')).toEqual({ ...base, order: 'start-first' });
  });

  it('takes parallelism 0 (all at once) and ratios 0 and 1', () => {
    expect(applyRolloutFlags(DEFAULT_UPDATE_CONFIG, { parallelism: '0', maxFailureRatio: '1' }, 'update')).toMatchObject({ parallelism: 0, maxFailureRatio: 1 });
    expect(applyRolloutFlags(DEFAULT_UPDATE_CONFIG, { maxFailureRatio: '.5' }, 'update').maxFailureRatio).toBe(0.5);
  });

  it.each([
    [{ parallelism: '-1' }, 'update', 'invalid --update-parallelism "-1": use a whole number of tasks, 0 for all at once'],
    [{ parallelism: '1.5' }, 'rollback', 'invalid --rollback-parallelism "1.5": use a whole number of tasks, 0 for all at once'],
    [{ maxFailureRatio: '1.5' }, 'update', 'invalid --update-max-failure-ratio "1.5": use a number from 0 to 1, such as 0.2'],
    [{ maxFailureRatio: '-0.1' }, 'update', 'invalid --update-max-failure-ratio "-0.1": use a number from 0 to 1, such as 0.2'],
    [{ order: 'random' }, 'update', 'invalid --update-order "random": use stop-first or start-first'],
    [{ failureAction: 'explode' }, 'update', 'invalid --update-failure-action "explode": use pause, continue or rollback'],
    [{ failureAction: 'rollback' }, 'rollback', 'invalid --rollback-failure-action "rollback": use pause or continue'],
    [{ delay: '-5s' }, 'update', 'invalid --update-delay "-5s": use a Go duration such as 300ms, 10s or 1m30s'],
    [{ monitor: 'soon' }, 'rollback', 'invalid --rollback-monitor "soon": use a Go duration such as 300ms, 10s or 1m30s'],
  ] as const)('refuses %j (%s)', (flags, kind, message) => {
    expect(() => applyRolloutFlags(DEFAULT_UPDATE_CONFIG, flags, kind)).toThrow(message);
  });
});

describe('applyHealthFlags', () => {
  it('keeps the image check when no flag is given', () => {
    expect(applyHealthFlags(IMAGE_HEALTHCHECK, { healthcheck: true })).toEqual(IMAGE_HEALTHCHECK);
  });

  it('runs --health-cmd through the shell, with the timings given', () => {
    expect(applyHealthFlags(IMAGE_HEALTHCHECK, {
      healthCmd: 'wget -q -O- localhost/ || exit 1', healthInterval: '2s', healthTimeout: '1s', healthRetries: '5', healthStartPeriod: '0s',
    })).toEqual({ test: ['CMD-SHELL', 'wget -q -O- localhost/ || exit 1'], intervalMs: 2000, timeoutMs: 1000, retries: 5, startPeriodMs: 0 });
  });

  it('overrides only the timings of the image check', () => {
    expect(applyHealthFlags(IMAGE_HEALTHCHECK, { healthInterval: '5s' })).toEqual({ ...IMAGE_HEALTHCHECK, intervalMs: 5000 });
  });

  it('disables the check with --no-healthcheck, and a timing re-enables the image check', () => {
    const off = applyHealthFlags({ test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: 0, retries: 2, startPeriodMs: 0 }, { healthcheck: false });
    expect(off).toEqual({ test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 });
    expect(applyHealthFlags(off, { healthRetries: '4' })).toEqual({ test: [], intervalMs: 0, timeoutMs: 0, retries: 4, startPeriodMs: 0 });
  });

  it('returns to the image check for an empty --health-cmd', () => {
    expect(applyHealthFlags({ ...IMAGE_HEALTHCHECK, test: ['CMD-SHELL', 'true'] }, { healthCmd: '' }).test).toEqual([]);
  });

  it.each([
    [{ healthcheck: false, healthCmd: 'true' }, '--no-healthcheck conflicts with --health-cmd'],
    [{ healthcheck: false, healthInterval: '1s' }, '--no-healthcheck conflicts with'],
    [{ healthInterval: '0s' }, 'invalid --health-interval "0s": use a duration above zero, such as 30s'],
    [{ healthInterval: '0' }, 'invalid --health-interval "0": use a duration above zero'],
    [{ healthInterval: '-1s' }, 'invalid --health-interval "-1s": use a Go duration'],
    [{ healthTimeout: '0ms' }, 'invalid --health-timeout "0ms": use a duration above zero'],
    [{ healthRetries: '-1' }, 'invalid --health-retries "-1": use a whole number'],
    [{ healthRetries: 'x' }, 'invalid --health-retries "x"'],
    [{ healthStartPeriod: 'later' }, 'invalid --health-start-period "later"'],
  ] as const)('refuses %j', (flags, message) => {
    expect(() => applyHealthFlags(IMAGE_HEALTHCHECK, flags)).toThrow(message);
  });
});

describe('buildServiceSpec (rollout and health flags)', () => {
  const ctx = { env: {}, randomSuffix: 'abc123' };

  it('always sends full update and rollback configs with swarm defaults', () => {
    const spec = buildServiceSpec({ name: 'web' }, 'nginx', [], ctx);
    expect(spec.update).toEqual(ROLLOUT_DEFAULTS);
    expect(spec.rollback).toEqual(ROLLOUT_DEFAULTS);
    expect(spec.task?.container?.healthcheck).toEqual(IMAGE_HEALTHCHECK);
  });

  it('maps --update-*, --rollback-* and --health-* flags', () => {
    const spec = buildServiceSpec({
      name: 'web', updateParallelism: '2', updateDelay: '10s', updateFailureAction: 'rollback', updateMonitor: '3s',
      updateMaxFailureRatio: '0.5', updateOrder: 'start-first', rollbackParallelism: '0', rollbackFailureAction: 'continue',
      rollbackOrder: 'start-first', healthCmd: 'true', healthInterval: '1s',
    }, 'nginx', [], ctx);
    expect(spec.update).toEqual({ parallelism: 2, delayMs: 10_000, failureAction: 'rollback', monitorMs: 3000, maxFailureRatio: 0.5, order: 'start-first' });
    expect(spec.rollback).toEqual({ ...ROLLOUT_DEFAULTS, parallelism: 0, failureAction: 'continue', order: 'start-first' });
    expect(spec.task?.container?.healthcheck).toEqual({ test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: 0, retries: 0, startPeriodMs: 0 });
  });

  it('disables the health check with --no-healthcheck', () => {
    expect(buildServiceSpec({ name: 'web', healthcheck: false }, 'nginx', [], ctx).task?.container?.healthcheck?.test).toEqual(['NONE']);
  });

  it.each([
    [{ updateParallelism: '-2' }, /--update-parallelism/],
    [{ rollbackFailureAction: 'rollback' }, /--rollback-failure-action "rollback": use pause or continue/],
    [{ healthcheck: false, healthRetries: '3' }, /--no-healthcheck conflicts/],
    [{ updateMaxFailureRatio: '2' }, /from 0 to 1/],
  ])('refuses %j', (flags, message) => {
    expect(() => buildServiceSpec({ name: 'web', ...flags }, 'nginx', [], ctx)).toThrow(message);
  });
});

describe('splitShellWords', () => {
  it.each([
    ['sh -c "echo hi"', ['sh', '-c', 'echo hi']],
    ["  a   'b c'  d ", ['a', 'b c', 'd']],
    ['a\\ b', ['a b']],
    ['"say \\"x\\"" \'$HOME\'', ['say "x"', '$HOME']],
    ['x"y z"w', ['xy zw']],
    ['""', ['']],
    ['', []],
  ])('%j', (text, words) => expect(splitShellWords(text)).toEqual(words));

  it('refuses an unterminated quote', () => {
    expect(() => splitShellWords('sh -c "echo')).toThrow('invalid --args "sh -c "echo": unterminated double quote');
    expect(() => splitShellWords("it's")).toThrow('unterminated single quote');
  });
});

describe('parsePublishRm', () => {
  it.each([
    ['8080', { published: 8080, protocol: 'tcp' }],
    ['8080:80', { published: 8080, target: 80, protocol: 'tcp' }],
    ['8080/udp', { published: 8080, protocol: 'udp' }],
    ['53:53/UDP', { published: 53, target: 53, protocol: 'udp' }],
  ])('%s', (text, ref) => expect(parsePublishRm(text)).toEqual(ref));

  it.each(['', 'web', '70000', '8080/sctp', 'published=8080'])('refuses %j', (text) => {
    expect(() => parsePublishRm(text)).toThrow(/invalid --publish-rm .*use the published port/);
  });
});

describe('applyUpdateFlags', () => {
  const ctx = { env: { TOKEN: 's3cret' } };
  function base(): ServiceSpec {
    const s = service({ name: 'web', replicas: 3, ports: [{ publishedPort: 8080, targetPort: 80 }, { publishedPort: 5353, targetPort: 53, protocol: 'udp' }] }).spec;
    s.annotations.labels = { tier: 'front', team: 'a' };
    s.task.container.env = ['A=1', 'B=2'];
    s.task.container.labels = { c: '1' };
    s.task.container.args = ['httpd', '-f'];
    s.task.container.mounts = [{ type: 'volume', source: 'data', target: '/data', readOnly: false }];
    s.task.placement.constraints = ['node.role==worker'];
    s.task.resources.limits = { nanoCpus: 1e9, memoryBytes: 1024 };
    return s;
  }
  const apply = (flags: UpdateFlags) => applyUpdateFlags(base(), flags, ctx);

  it('changes nothing without flags, and leaves its input alone', () => {
    const spec = base();
    const copy = structuredClone(spec);
    expect(applyUpdateFlags(spec, {}, ctx)).toEqual(copy);
    applyUpdateFlags(spec, { image: 'x', envAdd: ['C=3'], labelRm: ['tier'], force: true, updateDelay: '1s' }, ctx);
    expect(spec).toEqual(copy);
  });

  it('sets the image, args, hostname, workdir, user and stop grace period', () => {
    const c = apply({ image: 'shoal-demo:2', args: 'sh -c "sleep 1"', hostname: 'h', workdir: '/w', user: 'nobody', stopGracePeriod: '3s' }).task.container;
    expect(c).toMatchObject({ image: 'shoal-demo:2', args: ['sh', '-c', 'sleep 1'], hostname: 'h', dir: '/w', user: 'nobody', stopGracePeriodMs: 3000 });
  });

  it('removes then adds environment variables, replacing a key in place; an absent key is fine', () => {
    expect(apply({ envAdd: ['B=3', 'TOKEN', 'D=4'], envRm: ['A', 'NOPE'] }).task.container.env).toEqual(['B=3', 'TOKEN=s3cret', 'D=4']);
  });

  it('adds and removes labels and container labels', () => {
    const spec = apply({ labelAdd: ['tier=back', 'new'], labelRm: ['team'], containerLabelAdd: ['d=2'], containerLabelRm: ['c'] });
    expect(spec.annotations.labels).toEqual({ tier: 'back', new: '' });
    expect(spec.task.container.labels).toEqual({ d: '2' });
  });

  it('adds and removes constraints', () => {
    expect(apply({ constraintAdd: ['node.labels.zone==east'], constraintRm: ['node.role==worker'] }).task.placement.constraints)
      .toEqual(['node.labels.zone==east']);
    expect(apply({ constraintAdd: ['node.role==worker'] }).task.placement.constraints).toEqual(['node.role==worker']);
  });

  it('removes published ports by published port and protocol, and adds or replaces ports', () => {
    expect(apply({ publishRm: ['8080'] }).endpoint.ports.map((p) => p.publishedPort)).toEqual([5353]);
    expect(apply({ publishRm: ['5353'] }).endpoint.ports.map((p) => p.publishedPort)).toEqual([8080, 5353]);
    expect(apply({ publishRm: ['5353/udp', '8080:81'] }).endpoint.ports.map((p) => p.publishedPort)).toEqual([8080]);
    expect(apply({ publishAdd: ['8080:8000', '9090:90'] }).endpoint.ports).toEqual([
      { protocol: 'udp', targetPort: 53, publishedPort: 5353, publishMode: 'host' },
      { protocol: 'tcp', targetPort: 8000, publishedPort: 8080, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 90, publishedPort: 9090, publishMode: 'ingress' },
    ]);
  });

  it('adds ingress ports by default and host-mode ports when said', () => {
    expect(apply({ publishAdd: ['7070:70', 'published=6060,target=60,mode=host'] }).endpoint.ports.slice(-2)).toEqual([
      { protocol: 'tcp', targetPort: 70, publishedPort: 7070, publishMode: 'ingress' },
      { protocol: 'tcp', targetPort: 60, publishedPort: 6060, publishMode: 'host' },
    ]);
    expect(() => apply({ publishAdd: ['published=6060,target=60,mode=vip'] })).toThrow(/unknown mode "vip"/);
  });

  it('removes mounts by target and adds or replaces them', () => {
    expect(apply({ mountRm: ['/data'] }).task.container.mounts).toEqual([]);
    expect(apply({ mountRm: ['/data'], mountAdd: ['type=tmpfs,target=/data'] }).task.container.mounts)
      .toEqual([{ type: 'tmpfs', source: '', target: '/data', readOnly: false }]);
  });

  it('changes resources, keeping the ones not named', () => {
    expect(apply({ reserveCpu: '0.5', limitMemory: '1G' }).task.resources).toEqual({
      limits: { nanoCpus: 1e9, memoryBytes: 1024 ** 3 }, reservations: { nanoCpus: 5e8, memoryBytes: 0 },
    });
  });

  it('sets replicas, restart policy, health and the rollout configs', () => {
    const spec = apply({
      replicas: '6', restartCondition: 'on-failure', restartMaxAttempts: '2', healthCmd: 'true', updateParallelism: '2',
      updateOrder: 'start-first', rollbackMonitor: '1s',
    });
    expect(spec.replicas).toBe(6);
    expect(spec.task.restart).toEqual({ condition: 'on-failure', delayMs: 5000, maxAttempts: 2, windowMs: 0 });
    expect(spec.task.container.healthcheck.test).toEqual(['CMD-SHELL', 'true']);
    expect(spec.update).toEqual({ ...ROLLOUT_DEFAULTS, parallelism: 2, order: 'start-first' });
    expect(spec.rollback).toEqual({ ...ROLLOUT_DEFAULTS, monitorMs: 1000 });
  });

  it('fills swarm defaults under the flags when the service had no rollout config', () => {
    const spec = base();
    spec.update = { parallelism: 0, delayMs: 0, failureAction: '', monitorMs: 0, maxFailureRatio: 0, order: '' };
    expect(applyUpdateFlags(spec, { updateDelay: '2s' }, ctx).update).toEqual({ ...ROLLOUT_DEFAULTS, delayMs: 2000 });
  });

  it('bumps forceUpdate with --force and nothing else', () => {
    const spec = apply({ force: true });
    expect(spec.task.forceUpdate).toBe(1);
    expect({ ...spec, task: { ...spec.task, forceUpdate: 0 } }).toEqual(base());
  });

  it('sends registry credentials only when given', () => {
    const auth = { username: 'u', password: 'p', serverAddress: 'reg:5000' };
    expect(applyUpdateFlags(base(), {}, { ...ctx, registryAuth: auth }).registryAuth).toEqual(auth);
  });

  it.each([
    [{ replicas: '-1' }, 'invalid replicas value "-1"'],
    [{ image: '  ' }, 'invalid --image ""'],
    [{ args: 'sh -c "x' }, 'unterminated double quote'],
    [{ envAdd: ['=x'] }, 'invalid environment variable "=x"'],
    [{ constraintAdd: ['node.color~red'] }, 'constraint'],
    [{ publishAdd: ['8080:80', '8080:81'] }, 'port 8080/tcp is published more than once'],
    [{ publishRm: ['http'] }, 'invalid --publish-rm "http"'],
    [{ mountAdd: ['type=nfs,target=/x'] }, 'invalid mount'],
    [{ mountRm: ['data'] }, 'invalid --mount-rm "data": use the mount\'s target'],
    [{ reserveMemory: '12XB' }, 'memory'],
    [{ restartCondition: 'sometimes' }, 'invalid restart condition "sometimes": use none, on-failure, any'],
    [{ updateParallelism: '-1' }, '--update-parallelism'],
    [{ healthInterval: '0s' }, '--health-interval'],
    [{ stopGracePeriod: 'long' }, 'stop grace period'],
  ] as const)('refuses %j', (flags, message) => {
    expect(() => apply(flags)).toThrow(message);
    expect(() => applyUpdateFlags(blankSpec(), flags, ctx)).toThrow(message);
  });

  it('refuses --replicas on a global service', () => {
    const spec = { ...base(), mode: 'global', replicas: 0 };
    expect(() => applyUpdateFlags(spec, { replicas: '3' }, ctx)).toThrow('--replicas can only be used with replicated mode: web is global');
  });
});

describe('changedUpdateFlags', () => {
  it('names the flags --rollback cannot come with', () => {
    expect(changedUpdateFlags({ rollback: true, detach: true, healthcheck: true })).toEqual([]);
    expect(changedUpdateFlags({ rollback: true, image: 'x', updateParallelism: '2', healthcheck: false })).toEqual([
      '--image', '--update-parallelism', '--no-healthcheck',
    ]);
  });
});
