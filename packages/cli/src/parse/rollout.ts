import { InvalidArgumentError, parseDuration, type HealthConfig, type UpdateConfig } from '@shoal/api';

/** Swarm's update and rollback defaults (docker/cli, swarmkit): one task at a time, pause on failure, 5 s monitor. */
export const DEFAULT_UPDATE_CONFIG: Readonly<UpdateConfig> = {
  parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5_000, maxFailureRatio: 0, order: 'stop-first',
};

export const UPDATE_ORDERS = ['stop-first', 'start-first'] as const;
export const UPDATE_FAILURE_ACTIONS = ['pause', 'continue', 'rollback'] as const;
export const ROLLBACK_FAILURE_ACTIONS = ['pause', 'continue'] as const;

/** --update-* or --rollback-* flags as commander hands them over: strings, not yet checked. */
export interface RolloutFlags {
  parallelism?: string;
  delay?: string;
  failureAction?: string;
  monitor?: string;
  maxFailureRatio?: string;
  order?: string;
}

/** The flags of both families, named as commander names them (`--update-delay` -> updateDelay). */
export interface UpdateConfigFlags {
  updateParallelism?: string;
  updateDelay?: string;
  updateFailureAction?: string;
  updateMonitor?: string;
  updateMaxFailureRatio?: string;
  updateOrder?: string;
  rollbackParallelism?: string;
  rollbackDelay?: string;
  rollbackFailureAction?: string;
  rollbackMonitor?: string;
  rollbackMaxFailureRatio?: string;
  rollbackOrder?: string;
}

export function updateFlagsOf(f: UpdateConfigFlags): RolloutFlags {
  return {
    parallelism: f.updateParallelism, delay: f.updateDelay, failureAction: f.updateFailureAction,
    monitor: f.updateMonitor, maxFailureRatio: f.updateMaxFailureRatio, order: f.updateOrder,
  };
}

export function rollbackFlagsOf(f: UpdateConfigFlags): RolloutFlags {
  return {
    parallelism: f.rollbackParallelism, delay: f.rollbackDelay, failureAction: f.rollbackFailureAction,
    monitor: f.rollbackMonitor, maxFailureRatio: f.rollbackMaxFailureRatio, order: f.rollbackOrder,
  };
}

function oneOf(text: string, choices: readonly string[], flag: string): string {
  if (!choices.includes(text)) {
    throw new InvalidArgumentError(`invalid ${flag} "${text}": use ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`);
  }
  return text;
}

/**
 * The update (or rollback) config with the given flags applied over `base` (the service's config, or swarm's
 * defaults for a new service). Every value is checked; an error names the flag and what it accepts.
 */
export function applyRolloutFlags(base: Readonly<UpdateConfig>, flags: RolloutFlags, kind: 'update' | 'rollback'): UpdateConfig {
  const flag = (name: string) => `--${kind}-${name}`;
  const out: UpdateConfig = { ...base };
  if (flags.parallelism !== undefined) {
    const t = flags.parallelism.trim();
    if (!/^\d+$/.test(t) || !Number.isSafeInteger(Number(t))) {
      throw new InvalidArgumentError(`invalid ${flag('parallelism')} "${flags.parallelism}": use a whole number of tasks, 0 for all at once`);
    }
    out.parallelism = Number(t);
  }
  if (flags.delay !== undefined) out.delayMs = parseDuration(flags.delay, flag('delay'));
  if (flags.monitor !== undefined) out.monitorMs = parseDuration(flags.monitor, flag('monitor'));
  if (flags.failureAction !== undefined) {
    out.failureAction = oneOf(flags.failureAction, kind === 'update' ? UPDATE_FAILURE_ACTIONS : ROLLBACK_FAILURE_ACTIONS, flag('failure-action'));
  }
  if (flags.maxFailureRatio !== undefined) {
    const t = flags.maxFailureRatio.trim();
    const v = Number(t);
    if (!/^\d*\.?\d+$/.test(t) || !(v >= 0 && v <= 1)) {
      throw new InvalidArgumentError(`invalid ${flag('max-failure-ratio')} "${flags.maxFailureRatio}": use a number from 0 to 1, such as 0.2`);
    }
    out.maxFailureRatio = v;
  }
  if (flags.order !== undefined) out.order = oneOf(flags.order, UPDATE_ORDERS, flag('order'));
  return out;
}

/** The --health-* flags as commander hands them over; `healthcheck` is false after --no-healthcheck. */
export interface HealthFlags {
  healthCmd?: string;
  healthInterval?: string;
  healthTimeout?: string;
  healthRetries?: string;
  healthStartPeriod?: string;
  healthcheck?: boolean;
}

/** A health config that keeps the image's HEALTHCHECK as it is. */
export const IMAGE_HEALTHCHECK: Readonly<HealthConfig> = { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };

function positiveDuration(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms <= 0) throw new InvalidArgumentError(`invalid ${flag} "${text}": use a duration above zero, such as 30s`);
  return ms;
}

/**
 * The health check with the --health-* flags applied over `base`, as docker does: --no-healthcheck disables it
 * (and cannot be combined with the others), --health-cmd CMD runs `CMD-SHELL CMD` (an empty CMD returns to the
 * image's check), and changing a timing of a disabled check returns to the image's check with that timing.
 */
export function applyHealthFlags(base: Readonly<HealthConfig>, flags: HealthFlags): HealthConfig {
  const timing = [flags.healthInterval, flags.healthTimeout, flags.healthRetries, flags.healthStartPeriod].some((v) => v !== undefined);
  if (flags.healthcheck === false) {
    if (timing || flags.healthCmd !== undefined) {
      throw new InvalidArgumentError('--no-healthcheck conflicts with --health-cmd, --health-interval, --health-timeout, --health-retries and --health-start-period');
    }
    return { test: ['NONE'], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };
  }
  const out: HealthConfig = { ...base, test: [...base.test] };
  if (flags.healthInterval !== undefined) out.intervalMs = positiveDuration(flags.healthInterval, '--health-interval');
  if (flags.healthTimeout !== undefined) out.timeoutMs = positiveDuration(flags.healthTimeout, '--health-timeout');
  if (flags.healthStartPeriod !== undefined) out.startPeriodMs = parseDuration(flags.healthStartPeriod, '--health-start-period');
  if (flags.healthRetries !== undefined) {
    const t = flags.healthRetries.trim();
    if (!/^\d+$/.test(t) || Number(t) > 0xffffffff) {
      throw new InvalidArgumentError(`invalid --health-retries "${flags.healthRetries}": use a whole number of consecutive failures, such as 3`);
    }
    out.retries = Number(t);
  }
  if (flags.healthCmd !== undefined) out.test = flags.healthCmd.trim() ? ['CMD-SHELL', flags.healthCmd] : [];
  else if (timing && out.test[0] === 'NONE') out.test = [];
  return out;
}
