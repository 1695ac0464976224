import {
  InvalidArgumentError, parseConstraint, type HealthConfig, type Service, type ServiceSpec, type PortConfig, type UpdateConfig,
} from '@shoal/api';
import type { ReadTx } from '../store/index.js';
import { portConflict } from '../orchestrator/ports.js';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const RESTART_CONDITIONS = ['none', 'on-failure', 'any'];
const MOUNT_TYPES = ['bind', 'volume', 'tmpfs'];

export const DEFAULT_STOP_GRACE_MS = 10_000;
export const DEFAULT_RESTART_DELAY_MS = 5_000;
/** Swarm's update and rollback defaults. */
export const DEFAULT_UPDATE_CONFIG: Readonly<UpdateConfig> = {
  parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5_000, maxFailureRatio: 0, order: 'stop-first',
};
const UPDATE_ORDERS = ['stop-first', 'start-first'];
const UPDATE_FAILURE_ACTIONS = ['pause', 'continue', 'rollback'];
const ROLLBACK_FAILURE_ACTIONS = ['pause', 'continue'];
const HEALTH_TEST_KINDS = ['NONE', 'CMD', 'CMD-SHELL'];
const PUBLISH_MODES = ['ingress', 'host'];
/** Where an ingress port published as 0 gets its port, as docker does. */
export const INGRESS_PORT_RANGE: Readonly<{ from: number; to: number }> = { from: 30000, to: 32767 };

/** An update config left empty on the wire (no failure action, no order) takes every default; else the missing words. */
function updateConfigWithDefaults(c: UpdateConfig | undefined): UpdateConfig {
  if (!c || (!c.failureAction && !c.order)) return { ...DEFAULT_UPDATE_CONFIG };
  return { ...c, failureAction: c.failureAction || DEFAULT_UPDATE_CONFIG.failureAction, order: c.order || DEFAULT_UPDATE_CONFIG.order };
}

/** Fills swarm's defaults into a spec as received on the wire. */
export function withDefaults(input: ServiceSpec): ServiceSpec {
  const spec = structuredClone(input);
  spec.mode ||= 'replicated';
  if (spec.mode === 'global') spec.replicas = 0;
  // No restart policy at all (condition unset): swarm's default policy, any with a 5 s delay.
  if (!spec.task.restart.condition) spec.task.restart = { ...spec.task.restart, condition: 'any', delayMs: spec.task.restart.delayMs || DEFAULT_RESTART_DELAY_MS };
  spec.task.container.stopGracePeriodMs ||= DEFAULT_STOP_GRACE_MS;
  // The routing mesh is the default, as in swarm.
  for (const p of spec.endpoint.ports) { p.protocol ||= 'tcp'; p.publishMode ||= 'ingress'; }
  spec.update = updateConfigWithDefaults(spec.update);
  spec.rollback = updateConfigWithDefaults(spec.rollback);
  spec.task.forceUpdate ??= 0;
  spec.task.container.healthcheck ??= { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };
  return spec;
}

/** Checks a whole spec; the first problem found is reported as one line naming what is accepted. */
export function validateSpec(spec: ServiceSpec): void {
  const bad = (msg: string) => { throw new InvalidArgumentError(msg); };
  const name = spec.annotations.name;
  if (!name) bad('a service name is required');
  if (name.length > 63 || !NAME_RE.test(name)) bad(`invalid service name "${name}": use up to 63 letters, digits, '_', '.' or '-', starting with a letter or digit`);
  if (spec.mode !== 'replicated' && spec.mode !== 'global') bad(`invalid mode "${spec.mode}": use replicated or global`);
  if (!Number.isSafeInteger(spec.replicas) || spec.replicas < 0) bad(`invalid replicas ${spec.replicas}: must be a non-negative integer`);
  const c = spec.task.container;
  if (!c.image) bad('an image is required');
  if (/\s/.test(c.image)) bad(`invalid image reference "${c.image}": it may not contain spaces`);
  for (const e of c.env) if (!/^[^=\s]+=/.test(e) && !/^[^=\s]+$/.test(e)) bad(`invalid environment variable "${e}": use KEY=VALUE`);
  for (const expr of spec.task.placement.constraints) parseConstraint(expr);
  const { limits, reservations } = spec.task.resources;
  for (const [what, v] of [['CPU limit', limits.nanoCpus], ['memory limit', limits.memoryBytes], ['CPU reservation', reservations.nanoCpus], ['memory reservation', reservations.memoryBytes]] as const) {
    if (v < 0) bad(`invalid ${what}: must not be negative`);
  }
  if (limits.memoryBytes > 0 && reservations.memoryBytes > limits.memoryBytes) bad('the memory reservation exceeds the memory limit');
  if (limits.memoryBytes > 0 && limits.memoryBytes < 6 * 1024 * 1024) bad('invalid memory limit: the minimum is 6MiB');
  const r = spec.task.restart;
  if (!RESTART_CONDITIONS.includes(r.condition)) bad(`invalid restart condition "${r.condition}": use none, on-failure or any`);
  if (r.delayMs < 0 || r.windowMs < 0 || r.maxAttempts < 0) bad('restart delay, window and max attempts must not be negative');
  if (c.stopGracePeriodMs < 0) bad('the stop grace period must not be negative');
  validateHealth(c.healthcheck);
  validateUpdateConfig(spec.update, 'update', UPDATE_FAILURE_ACTIONS);
  validateUpdateConfig(spec.rollback, 'rollback', ROLLBACK_FAILURE_ACTIONS);
  const seen = new Set<string>();
  for (const p of spec.endpoint.ports) {
    validatePort(p);
    const key = `${p.publishedPort}/${p.protocol}`;
    if (p.publishedPort && seen.has(key)) bad(`published port ${key} is given twice`);
    seen.add(key);
  }
  const targets = new Set<string>();
  for (const m of c.mounts) {
    if (!MOUNT_TYPES.includes(m.type)) bad(`invalid mount type "${m.type}": use bind, volume or tmpfs`);
    if (!m.target.startsWith('/')) bad(`invalid mount target "${m.target}": it must be an absolute path`);
    if (m.type === 'bind' && !m.source.startsWith('/')) bad(`invalid bind mount source "${m.source}": it must be an absolute path`);
    if (m.type === 'tmpfs' && m.source) bad('a tmpfs mount takes no source');
    if (targets.has(m.target)) bad(`mount target ${m.target} is given twice`);
    targets.add(m.target);
  }
}

function validateUpdateConfig(c: UpdateConfig, what: 'update' | 'rollback', actions: readonly string[]): void {
  const bad = (msg: string) => { throw new InvalidArgumentError(msg); };
  if (!Number.isSafeInteger(c.parallelism) || c.parallelism < 0) bad(`invalid ${what} parallelism ${c.parallelism}: must be 0 (all at once) or more`);
  if (c.delayMs < 0) bad(`invalid ${what} delay: must not be negative`);
  if (c.monitorMs < 0) bad(`invalid ${what} monitor period: must not be negative`);
  if (!(c.maxFailureRatio >= 0 && c.maxFailureRatio <= 1)) bad(`invalid ${what} max failure ratio ${c.maxFailureRatio}: use a number from 0 to 1`);
  if (!UPDATE_ORDERS.includes(c.order)) bad(`invalid ${what} order "${c.order}": use stop-first or start-first`);
  if (!actions.includes(c.failureAction)) bad(`invalid ${what} failure action "${c.failureAction}": use ${actions.slice(0, -1).join(', ')} or ${actions.at(-1)}`);
}

function validateHealth(h: HealthConfig): void {
  const bad = (msg: string) => { throw new InvalidArgumentError(msg); };
  const kind = h.test[0];
  if (kind !== undefined && !HEALTH_TEST_KINDS.includes(kind)) bad(`invalid health check test "${kind}": use NONE, CMD or CMD-SHELL`);
  if ((kind === 'CMD' || kind === 'CMD-SHELL') && h.test.length < 2) bad(`a ${kind} health check needs a command`);
  // The engine refuses durations below 1 ms and treats 0 as its default; a negative one is a mistake.
  for (const [what, v] of [['interval', h.intervalMs], ['timeout', h.timeoutMs], ['start period', h.startPeriodMs]] as const) {
    if (v < 0) bad(`invalid health ${what}: must not be negative`);
  }
  if (!Number.isSafeInteger(h.retries) || h.retries < 0) bad(`invalid health retries ${h.retries}: must be a non-negative integer`);
}

/** The previous spec of a service that has none: every field empty (a spec always has a name, this one has none). */
export function noSpec(): ServiceSpec {
  const update = { parallelism: 0, delayMs: 0, failureAction: '', monitorMs: 0, maxFailureRatio: 0, order: '' };
  return {
    annotations: { name: '', labels: {} },
    task: {
      container: {
        image: '', command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '', mounts: [], stopGracePeriodMs: 0,
        healthcheck: { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 },
      },
      resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } },
      restart: { condition: '', delayMs: 0, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [] },
      forceUpdate: 0,
    },
    mode: '',
    replicas: 0,
    endpoint: { ports: [] },
    registryAuth: { username: '', password: '', serverAddress: '' },
    update: { ...update },
    rollback: { ...update },
  };
}

function validatePort(p: PortConfig): void {
  const bad = (msg: string) => { throw new InvalidArgumentError(msg); };
  if (!Number.isInteger(p.targetPort) || p.targetPort < 1 || p.targetPort > 65535) bad(`invalid target port ${p.targetPort}: use 1-65535`);
  if (!Number.isInteger(p.publishedPort) || p.publishedPort < 0 || p.publishedPort > 65535) bad(`invalid published port ${p.publishedPort}: use 1-65535`);
  if (p.protocol !== 'tcp' && p.protocol !== 'udp') bad(`invalid protocol "${p.protocol}": use tcp or udp`);
  if (!PUBLISH_MODES.includes(p.publishMode)) bad(`invalid publish mode "${p.publishMode}": use ingress or host`);
}

/** Refuses a spec publishing a port another service publishes (see portConflict). */
export function checkPortConflicts(tx: ReadTx, spec: ServiceSpec, selfId?: string): void {
  const conflict = portConflict(tx.all('services'), spec, selfId);
  if (conflict) throw new InvalidArgumentError(conflict);
}

/**
 * Gives every ingress port published as 0 a port: the one the service's current spec has for the same target and
 * protocol (an update keeps it), else the lowest free one of 30000-32767 — free meaning no other service publishes
 * it, in either mode. Returns the spec unchanged when there is nothing to pick; refuses when the range is full.
 */
export function withPublishedPorts(spec: ServiceSpec, others: Iterable<Service>, current?: ServiceSpec): ServiceSpec {
  if (!spec.endpoint.ports.some((p) => p.publishMode === 'ingress' && !p.publishedPort)) return spec;
  const key = (protocol: string, port: number) => `${port}/${protocol}`;
  const taken = new Set<string>();
  for (const other of others) for (const q of other.spec.endpoint.ports) if (q.publishedPort) taken.add(key(q.protocol, q.publishedPort));
  for (const p of spec.endpoint.ports) if (p.publishedPort) taken.add(key(p.protocol, p.publishedPort));
  const kept = (current?.endpoint.ports ?? []).filter((q) => q.publishMode === 'ingress' && q.publishedPort);
  const ports = spec.endpoint.ports.map((p) => {
    if (p.publishMode !== 'ingress' || p.publishedPort) return p;
    let port = kept.find((q) => q.protocol === p.protocol && q.targetPort === p.targetPort && !taken.has(key(q.protocol, q.publishedPort)))?.publishedPort;
    for (let n = INGRESS_PORT_RANGE.from; !port && n <= INGRESS_PORT_RANGE.to; n++) if (!taken.has(key(p.protocol, n))) port = n;
    if (!port) {
      throw new InvalidArgumentError(`no free port left in ${INGRESS_PORT_RANGE.from}-${INGRESS_PORT_RANGE.to} to publish target port ${p.targetPort}/${p.protocol}: give a published port`);
    }
    taken.add(key(p.protocol, port));
    return { ...p, publishedPort: port };
  });
  return { ...spec, endpoint: { ...spec.endpoint, ports } };
}
