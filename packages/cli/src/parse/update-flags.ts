import {
  InvalidArgumentError, parseBytes, parseConstraint, parseCpus, parseDuration,
  type Mount, type PortConfig, type RegistryAuth, type ServiceSpec, type UpdateConfig,
} from '@shoal/api';
import { parseChoice } from './choice.js';
import { parseEnv, parseKeyValue, parseKeyValues } from './kv.js';
import { parseMount } from './mount.js';
import { parseNonNegativeInt, parsePort, parseReplicas } from './numbers.js';
import { parsePublish } from './publish.js';
import {
  applyHealthFlags, applyRolloutFlags, DEFAULT_UPDATE_CONFIG, IMAGE_HEALTHCHECK, rollbackFlagsOf, updateFlagsOf, type HealthFlags, type UpdateConfigFlags,
} from './rollout.js';
import { splitShellWords } from './shell-words.js';

/** The flags of `service update`, as commander hands them over (strings, not yet checked). */
export interface UpdateFlags extends UpdateConfigFlags, HealthFlags {
  image?: string;
  args?: string;
  envAdd?: string[];
  envRm?: string[];
  labelAdd?: string[];
  labelRm?: string[];
  containerLabelAdd?: string[];
  containerLabelRm?: string[];
  constraintAdd?: string[];
  constraintRm?: string[];
  publishAdd?: string[];
  publishRm?: string[];
  mountAdd?: string[];
  mountRm?: string[];
  reserveCpu?: string;
  reserveMemory?: string;
  limitCpu?: string;
  limitMemory?: string;
  replicas?: string;
  restartCondition?: string;
  restartDelay?: string;
  restartMaxAttempts?: string;
  restartWindow?: string;
  stopGracePeriod?: string;
  hostname?: string;
  workdir?: string;
  user?: string;
  force?: boolean;
}

export interface UpdateContext {
  /** The client's environment, for --env-add KEY without a value. */
  env: Readonly<Record<string, string | undefined>>;
  /** Credentials to send (--with-registry-auth); otherwise the service keeps the ones it has. */
  registryAuth?: RegistryAuth;
}

/** The key of an environment entry "K=V" (or "K"). */
function envKey(entry: string): string {
  const i = entry.indexOf('=');
  return i < 0 ? entry : entry.slice(0, i);
}

/** A published port to remove: "8080", "8080:80", "8080/udp" or "8080:80/udp" (tcp unless said). */
interface PortRef { published: number; target?: number; protocol: string }

export function parsePublishRm(text: string): PortRef {
  const m = /^(\d+)(?::(\d+))?(?:\/(tcp|udp))?$/i.exec(text.trim());
  const fail = (): never => {
    throw new InvalidArgumentError(`invalid --publish-rm "${text}": use the published port, as PUBLISHED[:TARGET][/tcp|udp], e.g. 8080 or 8080/udp`);
  };
  if (!m) return fail();
  try {
    return {
      published: parsePort(m[1]!, 'published port'),
      ...(m[2] === undefined ? {} : { target: parsePort(m[2], 'target port') }),
      protocol: (m[3] ?? 'tcp').toLowerCase(),
    };
  } catch {
    return fail();
  }
}

function matchesPort(p: PortConfig, ref: PortRef): boolean {
  return p.publishedPort === ref.published && (p.protocol || 'tcp') === ref.protocol && (ref.target === undefined || p.targetPort === ref.target);
}

/** Ports after --publish-rm then --publish-add: an added port replaces one with the same published port and protocol. */
function updatePorts(ports: readonly PortConfig[], add: readonly PortConfig[], rm: readonly PortRef[]): PortConfig[] {
  let out = ports.filter((p) => !rm.some((r) => matchesPort(p, r)));
  const key = (p: PortConfig) => `${p.publishedPort}/${p.protocol || 'tcp'}`;
  const added = new Set<string>();
  for (const p of add) {
    if (p.publishedPort) {
      if (added.has(key(p))) throw new InvalidArgumentError(`port ${key(p)} is published more than once`);
      added.add(key(p));
      out = out.filter((q) => key(q) !== key(p));
    } else {
      out = out.filter((q) => !(q.publishedPort === 0 && q.targetPort === p.targetPort && q.protocol === p.protocol));
    }
    out.push(p);
  }
  return out;
}

/** Mounts after --mount-rm (by target) then --mount-add (an added mount replaces one at the same target). */
function updateMounts(mounts: readonly Mount[], add: readonly Mount[], rm: readonly string[]): Mount[] {
  const targets = new Set<string>();
  for (const m of add) {
    if (targets.has(m.target)) throw new InvalidArgumentError(`--mount-add names target ${m.target} more than once`);
    targets.add(m.target);
  }
  const kept = mounts.filter((m) => !rm.includes(m.target) && !targets.has(m.target));
  return [...kept, ...add];
}

/** Labels after --*-label-rm (by key) then --*-label-add. */
function updateLabels(labels: Readonly<Record<string, string>>, add: Record<string, string>, rm: readonly string[]): Record<string, string> {
  const out = { ...labels };
  for (const k of rm) delete out[k];
  return { ...out, ...add };
}

/** Environment after --env-rm (by key; an absent key is fine, as in docker) then --env-add (replacing in place). */
function updateEnv(env: readonly string[], add: readonly string[], rm: readonly string[]): string[] {
  const out = env.filter((e) => !rm.includes(envKey(e)));
  for (const entry of add) {
    const i = out.findIndex((e) => envKey(e) === envKey(entry));
    if (i < 0) out.push(entry);
    else out[i] = entry;
  }
  return out;
}

/** A config left unset on the wire (no failure action, no order) means swarm's defaults: flags apply over those. */
function rolloutBase(c: UpdateConfig | undefined): Readonly<UpdateConfig> {
  return !c || (!c.failureAction && !c.order) ? DEFAULT_UPDATE_CONFIG : c;
}

/**
 * The service's spec with the flags of `service update` applied, as docker applies them: every flag is checked
 * first (an error names the flag and what it accepts), nothing else changes, and removals go before additions,
 * so `--mount-rm /data --mount-add …,target=/data` replaces a mount. A pure function: `spec` is left alone.
 */
export function applyUpdateFlags(spec: ServiceSpec, flags: UpdateFlags, ctx: UpdateContext): ServiceSpec {
  // Parse everything before building anything.
  const replicas = flags.replicas === undefined ? undefined : parseReplicas(flags.replicas);
  if (replicas !== undefined && spec.mode === 'global') {
    throw new InvalidArgumentError(`--replicas can only be used with replicated mode: ${spec.annotations.name} is global`);
  }
  if (flags.image !== undefined && !flags.image.trim()) throw new InvalidArgumentError('invalid --image "": name an image, e.g. nginx:1.25');
  const args = flags.args === undefined ? undefined : splitShellWords(flags.args);
  const envAdd = (flags.envAdd ?? []).map((e) => parseEnv(e, ctx.env));
  const envRm = (flags.envRm ?? []).map((k) => parseKeyValue(k, 'environment variable')[0]);
  const labelAdd = parseKeyValues(flags.labelAdd ?? [], 'label');
  const labelRm = (flags.labelRm ?? []).map((k) => parseKeyValue(k, 'label')[0]);
  const containerLabelAdd = parseKeyValues(flags.containerLabelAdd ?? [], 'container label');
  const containerLabelRm = (flags.containerLabelRm ?? []).map((k) => parseKeyValue(k, 'container label')[0]);
  const constraintAdd = flags.constraintAdd ?? [];
  constraintAdd.forEach(parseConstraint);
  const constraintRm = flags.constraintRm ?? [];
  const publishAdd = (flags.publishAdd ?? []).map(parsePublish);
  const publishRm = (flags.publishRm ?? []).map(parsePublishRm);
  const mountAdd = (flags.mountAdd ?? []).map(parseMount);
  const mountRm = flags.mountRm ?? [];
  const badMountRm = mountRm.find((t) => !t.startsWith('/'));
  if (badMountRm !== undefined) throw new InvalidArgumentError(`invalid --mount-rm "${badMountRm}": use the mount's target, an absolute path such as /data`);
  const cpus = (text: string | undefined, current: number) => (text === undefined ? current : parseCpus(text));
  const bytes = (text: string | undefined, current: number, what: string) => (text === undefined ? current : parseBytes(text, what));
  const duration = (text: string | undefined, current: number, what: string) => (text === undefined ? current : parseDuration(text, what));

  const c = spec.task.container;
  const res = spec.task.resources;
  const restart = spec.task.restart;
  return {
    ...spec,
    annotations: { ...spec.annotations, labels: updateLabels(spec.annotations.labels, labelAdd, labelRm) },
    replicas: replicas ?? spec.replicas,
    task: {
      ...spec.task,
      container: {
        ...c,
        image: flags.image?.trim() ?? c.image,
        args: args ?? [...c.args],
        env: updateEnv(c.env, envAdd, envRm),
        labels: updateLabels(c.labels, containerLabelAdd, containerLabelRm),
        hostname: flags.hostname ?? c.hostname,
        dir: flags.workdir ?? c.dir,
        user: flags.user ?? c.user,
        mounts: updateMounts(c.mounts, mountAdd, mountRm),
        stopGracePeriodMs: duration(flags.stopGracePeriod, c.stopGracePeriodMs, 'stop grace period'),
        healthcheck: applyHealthFlags(c.healthcheck ?? IMAGE_HEALTHCHECK, flags),
      },
      resources: {
        limits: { nanoCpus: cpus(flags.limitCpu, res.limits.nanoCpus), memoryBytes: bytes(flags.limitMemory, res.limits.memoryBytes, 'memory limit') },
        reservations: {
          nanoCpus: cpus(flags.reserveCpu, res.reservations.nanoCpus),
          memoryBytes: bytes(flags.reserveMemory, res.reservations.memoryBytes, 'memory reservation'),
        },
      },
      restart: {
        condition: flags.restartCondition === undefined ? restart.condition
          : parseChoice(flags.restartCondition, ['none', 'on-failure', 'any'] as const, 'restart condition'),
        delayMs: duration(flags.restartDelay, restart.delayMs, 'restart delay'),
        maxAttempts: flags.restartMaxAttempts === undefined ? restart.maxAttempts : parseNonNegativeInt(flags.restartMaxAttempts, 'restart max attempts'),
        windowMs: duration(flags.restartWindow, restart.windowMs, 'restart window'),
      },
      placement: {
        ...spec.task.placement,
        constraints: [
          ...spec.task.placement.constraints.filter((k) => !constraintRm.includes(k) && !constraintAdd.includes(k)),
          ...constraintAdd,
        ],
      },
      forceUpdate: (spec.task.forceUpdate ?? 0) + (flags.force ? 1 : 0),
    },
    endpoint: { ...spec.endpoint, ports: updatePorts(spec.endpoint.ports, publishAdd, publishRm) },
    update: applyRolloutFlags(rolloutBase(spec.update), updateFlagsOf(flags), 'update'),
    rollback: applyRolloutFlags(rolloutBase(spec.rollback), rollbackFlagsOf(flags), 'rollback'),
    ...(ctx.registryAuth ? { registryAuth: ctx.registryAuth } : {}),
  };
}

/** A replicated spec with nothing in it: applying the flags to it checks every value before the service is read. */
export function blankSpec(): ServiceSpec {
  const rollout = { ...DEFAULT_UPDATE_CONFIG };
  return {
    annotations: { name: '', labels: {} },
    task: {
      container: {
        image: '', command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '', mounts: [], stopGracePeriodMs: 0,
        healthcheck: { ...IMAGE_HEALTHCHECK, test: [] },
      },
      resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } },
      restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [] },
      forceUpdate: 0,
    },
    mode: 'replicated',
    replicas: 0,
    endpoint: { ports: [] },
    registryAuth: { username: '', password: '', serverAddress: '' },
    update: rollout,
    rollback: { ...rollout },
  };
}

/** The flags given besides the ones --rollback may come with: --rollback takes no other change. */
export function changedUpdateFlags(flags: Readonly<Record<string, unknown>>): string[] {
  const allowed = new Set(['rollback', 'detach', 'quiet', 'healthcheck']);
  const given = Object.entries(flags).filter(([k, v]) => !allowed.has(k) && v !== undefined && v !== false).map(([k]) => k);
  if (flags['healthcheck'] === false) given.push('healthcheck');
  return given.map((k) => (k === 'healthcheck' ? '--no-healthcheck' : `--${k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`));
}
