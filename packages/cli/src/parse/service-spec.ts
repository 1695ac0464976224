import {
  InvalidArgumentError, parseBytes, parseConstraint, parseCpus, parseDuration,
  type RegistryAuth, type ServiceSpecInput,
} from '@shoal/api';
import { parseChoice } from './choice.js';
import { parseEnv, parseKeyValues } from './kv.js';
import { parseMount } from './mount.js';
import { parseServiceName } from './name.js';
import { parseNonNegativeInt, parseReplicas } from './numbers.js';
import { parsePublish } from './publish.js';
import {
  applyHealthFlags, applyRolloutFlags, DEFAULT_UPDATE_CONFIG, IMAGE_HEALTHCHECK, rollbackFlagsOf, updateFlagsOf,
  type HealthFlags, type UpdateConfigFlags,
} from './rollout.js';

/** The flags of `service create`, as commander hands them over (strings, not yet checked). */
export interface CreateFlags extends UpdateConfigFlags, HealthFlags {
  name?: string;
  replicas?: string;
  mode?: string;
  env?: string[];
  label?: string[];
  containerLabel?: string[];
  constraint?: string[];
  reserveCpu?: string;
  reserveMemory?: string;
  limitCpu?: string;
  limitMemory?: string;
  publish?: string[];
  mount?: string[];
  restartCondition?: string;
  restartDelay?: string;
  restartMaxAttempts?: string;
  restartWindow?: string;
  hostname?: string;
  workdir?: string;
  user?: string;
  stopGracePeriod?: string;
}

// Swarm's defaults (docker/cli and swarmkit), so a bare `service create IMAGE` behaves as in docker.
export const DEFAULT_RESTART_DELAY_MS = 5_000;
export const DEFAULT_STOP_GRACE_MS = 10_000;

export interface SpecContext {
  /** The client's environment, for --env KEY without a value. */
  env: Readonly<Record<string, string | undefined>>;
  /** A few random lower-case letters and digits, for the name of a service created without --name. */
  randomSuffix: string;
  registryAuth?: RegistryAuth;
}

/**
 * The name of a service created without --name (the manager requires one; docker invents one too): the image's
 * last path part without tag or digest, and a random suffix: "shoal-demo-x7k2q9".
 */
export function defaultServiceName(image: string, randomSuffix: string): string {
  const base = image.replace(/[@].*$/, '').replace(/:[^/]*$/, '').split('/').pop() ?? '';
  const clean = base.replace(/[^a-zA-Z0-9_.-]/g, '').replace(/^[^a-zA-Z0-9]+/, '').slice(0, 50);
  return clean ? `${clean}-${randomSuffix}` : `service-${randomSuffix}`;
}

/**
 * Builds the ServiceSpec of `service create` from its flags, checking every one of them first, so nothing is
 * sent when any is wrong. IMAGE [COMMAND [ARG…]]: as in docker the words after the image replace the image's CMD
 * (ContainerSpec.args); ContainerSpec.command (the entrypoint) is left to the image.
 */
export function buildServiceSpec(flags: CreateFlags, image: string, args: readonly string[], ctx: SpecContext): ServiceSpecInput {
  if (!image.trim()) throw new InvalidArgumentError('an image is required: shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]');
  const mode = parseChoice(flags.mode ?? 'replicated', ['replicated', 'global'] as const, 'mode');
  if (mode === 'global' && flags.replicas !== undefined) {
    throw new InvalidArgumentError('--replicas can only be used with replicated mode');
  }
  const ports = (flags.publish ?? []).map(parsePublish);
  const seen = new Set<string>();
  for (const p of ports) {
    const key = `${p.publishedPort}/${p.protocol}`;
    if (p.publishedPort && seen.has(key)) throw new InvalidArgumentError(`port ${key} is published more than once`);
    seen.add(key);
  }
  const constraints = flags.constraint ?? [];
  constraints.forEach(parseConstraint);
  const cpus = (text: string | undefined) => (text === undefined ? 0 : parseCpus(text));
  const bytes = (text: string | undefined, what: string) => (text === undefined ? 0 : parseBytes(text, what));
  const duration = (text: string | undefined, what: string, dflt: number) => (text === undefined ? dflt : parseDuration(text, what));
  // Always a full config, swarm's defaults filled, so inspect shows what is in force.
  const update = applyRolloutFlags(DEFAULT_UPDATE_CONFIG, updateFlagsOf(flags), 'update');
  const rollback = applyRolloutFlags(DEFAULT_UPDATE_CONFIG, rollbackFlagsOf(flags), 'rollback');
  const healthcheck = applyHealthFlags(IMAGE_HEALTHCHECK, flags);

  return {
    annotations: {
      name: flags.name === undefined ? defaultServiceName(image.trim(), ctx.randomSuffix) : parseServiceName(flags.name),
      labels: parseKeyValues(flags.label ?? [], 'label'),
    },
    mode,
    ...(mode === 'replicated' ? { replicas: flags.replicas === undefined ? 1 : parseReplicas(flags.replicas) } : {}),
    task: {
      container: {
        image: image.trim(),
        command: [],
        args: [...args],
        env: (flags.env ?? []).map((e) => parseEnv(e, ctx.env)),
        labels: parseKeyValues(flags.containerLabel ?? [], 'container label'),
        hostname: flags.hostname ?? '',
        dir: flags.workdir ?? '',
        user: flags.user ?? '',
        mounts: (flags.mount ?? []).map(parseMount),
        stopGracePeriodMs: duration(flags.stopGracePeriod, 'stop grace period', DEFAULT_STOP_GRACE_MS),
        healthcheck,
      },
      resources: {
        limits: { nanoCpus: cpus(flags.limitCpu), memoryBytes: bytes(flags.limitMemory, 'memory limit') },
        reservations: { nanoCpus: cpus(flags.reserveCpu), memoryBytes: bytes(flags.reserveMemory, 'memory reservation') },
      },
      restart: {
        condition: parseChoice(flags.restartCondition ?? 'any', ['none', 'on-failure', 'any'] as const, 'restart condition'),
        delayMs: duration(flags.restartDelay, 'restart delay', DEFAULT_RESTART_DELAY_MS),
        maxAttempts: flags.restartMaxAttempts === undefined ? 0 : parseNonNegativeInt(flags.restartMaxAttempts, 'restart max attempts'),
        windowMs: duration(flags.restartWindow, 'restart window', 0),
      },
      placement: { constraints: [...constraints] },
    },
    endpoint: { ports },
    update,
    rollback,
    ...(ctx.registryAuth ? { registryAuth: ctx.registryAuth } : {}),
  };
}
