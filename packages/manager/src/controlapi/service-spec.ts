import {
  InvalidArgumentError, parseConstraint, type ServiceSpec, type PortConfig,
} from '@shoal/api';
import type { ReadTx } from '../store/index.js';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const RESTART_CONDITIONS = ['none', 'on-failure', 'any'];
const MOUNT_TYPES = ['bind', 'volume', 'tmpfs'];

export const DEFAULT_STOP_GRACE_MS = 10_000;
export const DEFAULT_RESTART_DELAY_MS = 5_000;

/** Fills swarm's defaults into a spec as received on the wire. */
export function withDefaults(input: ServiceSpec): ServiceSpec {
  const spec = structuredClone(input);
  spec.mode ||= 'replicated';
  if (spec.mode === 'global') spec.replicas = 0;
  // No restart policy at all (condition unset): swarm's default policy, any with a 5 s delay.
  if (!spec.task.restart.condition) spec.task.restart = { ...spec.task.restart, condition: 'any', delayMs: spec.task.restart.delayMs || DEFAULT_RESTART_DELAY_MS };
  spec.task.container.stopGracePeriodMs ||= DEFAULT_STOP_GRACE_MS;
  for (const p of spec.endpoint.ports) { p.protocol ||= 'tcp'; p.publishMode ||= 'host'; }
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

function validatePort(p: PortConfig): void {
  const bad = (msg: string) => { throw new InvalidArgumentError(msg); };
  if (!Number.isInteger(p.targetPort) || p.targetPort < 1 || p.targetPort > 65535) bad(`invalid target port ${p.targetPort}: use 1-65535`);
  if (!Number.isInteger(p.publishedPort) || p.publishedPort < 0 || p.publishedPort > 65535) bad(`invalid published port ${p.publishedPort}: use 1-65535`);
  if (p.protocol !== 'tcp' && p.protocol !== 'udp') bad(`invalid protocol "${p.protocol}": use tcp or udp`);
  if (p.publishMode !== 'host') bad(`invalid publish mode "${p.publishMode}": use host`);
}

/** A published port may belong to one service only. */
export function checkPortConflicts(tx: ReadTx, spec: ServiceSpec, selfId?: string): void {
  for (const p of spec.endpoint.ports) {
    if (!p.publishedPort) continue;
    for (const other of tx.all('services')) {
      if (other.id === selfId) continue;
      if (other.spec.endpoint.ports.some((q) => q.publishedPort === p.publishedPort && q.protocol === p.protocol)) {
        throw new InvalidArgumentError(`published port ${p.publishedPort}/${p.protocol} is already used by service ${other.spec.annotations.name}`);
      }
    }
  }
}
