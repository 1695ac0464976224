import type Dockerode from 'dockerode';
import type { HealthConfig, Mount, PortConfig, Task } from '@shoal/api';
import { stopGraceMs } from '../exec/runner.js';

export const LABEL_SERVICE_ID = 'shoal.service.id';
export const LABEL_SERVICE_NAME = 'shoal.service.name';
export const LABEL_TASK_ID = 'shoal.task.id';
export const LABEL_NODE_ID = 'shoal.node.id';
export const LABEL_SLOT = 'shoal.slot';

/** The node a container is made for. */
export interface NodeIdentity {
  id: string;
  /** Address the task's published ports (host mode, and the ingress backends) are bound on. */
  advertise: string;
}

/** SERVICE.SLOT.TASKID, or SERVICE.NODEID.TASKID for a global service's task (slot 0), as swarm names them. */
export function containerName(task: Task): string {
  const service = task.serviceName || task.serviceId;
  const slot = task.slot ? String(task.slot) : task.nodeId;
  return `${service}.${slot}.${task.id}`;
}

/**
 * The ports the task's container publishes on its node: host-mode ports on their published port (or one the engine
 * chooses), and every ingress port's target on a port the engine chooses, which the routing mesh of every node
 * forwards its published port's connections to.
 */
export function publishedPorts(task: Task): PortConfig[] {
  return task.endpoint?.ports ?? [];
}

/** An ingress port's target is published on an engine-chosen port, a host-mode port on its own (0: engine-chosen). */
export function bindingPort(p: PortConfig): string {
  return p.publishMode !== 'ingress' && p.publishedPort ? String(p.publishedPort) : '';
}

/** The ports grouped by the engine's key ("80/tcp"), each key's bindings in the order of the task's ports. */
export function portBindings(ports: readonly PortConfig[], hostIp: string): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) (out[portKey(p)] ??= []).push({ HostIp: hostIp, HostPort: bindingPort(p) });
  return out;
}

export function portKey(p: PortConfig): string {
  return `${p.targetPort}/${p.protocol || 'tcp'}`;
}

function mountConfig(m: Mount): Dockerode.MountSettings {
  switch (m.type) {
    case 'tmpfs': return { Type: 'tmpfs', Source: '', Target: m.target, ReadOnly: m.readOnly };
    case 'volume': return { Type: 'volume', Source: m.source, Target: m.target, ReadOnly: m.readOnly };
    default: return { Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly };
  }
}

const NS_PER_MS = 1_000_000;

/**
 * The spec's health check as the engine's `Healthcheck`, or undefined to keep the image's as it is.
 * An empty test keeps the image's command; the engine itself fills every zero field (test, durations, retries)
 * from the image's HEALTHCHECK, so only what the spec sets is sent. ['NONE'] disables the image's check.
 */
export function healthcheckConfig(h: HealthConfig | undefined): Dockerode.HealthConfig | undefined {
  if (!h) return undefined;
  const test = h.test ?? [];
  if (test[0] === 'NONE') return { Test: ['NONE'] };
  const ns = (ms: number | undefined) => (ms ? ms * NS_PER_MS : undefined);
  const config: Dockerode.HealthConfig = {
    Test: test.length ? test : undefined,
    Interval: ns(h.intervalMs),
    Timeout: ns(h.timeoutMs),
    StartPeriod: ns(h.startPeriodMs),
    Retries: h.retries || undefined,
  };
  return Object.values(config).some((v) => v !== undefined) ? config : undefined;
}

/** The engine's create request for a task's container. */
export function containerConfig(task: Task, node: NodeIdentity): Dockerode.ContainerCreateOptions {
  const spec = task.spec.container;
  const limits = task.spec.resources?.limits;
  const reservations = task.spec.resources?.reservations;
  const ports = publishedPorts(task);
  const nonEmpty = (v: string | undefined) => (v ? v : undefined);
  return {
    name: containerName(task),
    Image: spec.image,
    Entrypoint: spec.command?.length ? spec.command : undefined,
    Cmd: spec.args?.length ? spec.args : undefined,
    Env: spec.env ?? [],
    Hostname: nonEmpty(spec.hostname),
    WorkingDir: nonEmpty(spec.dir),
    User: nonEmpty(spec.user),
    // The shoal labels come last so a spec cannot forge them.
    Labels: {
      ...spec.labels,
      [LABEL_SERVICE_ID]: task.serviceId,
      [LABEL_SERVICE_NAME]: task.serviceName,
      [LABEL_TASK_ID]: task.id,
      [LABEL_NODE_ID]: node.id,
      [LABEL_SLOT]: String(task.slot),
    },
    ExposedPorts: Object.fromEntries(ports.map((p) => [portKey(p), {}])),
    Healthcheck: healthcheckConfig(spec.healthcheck),
    StopTimeout: Math.ceil(stopGraceMs(task) / 1000),
    HostConfig: {
      Mounts: (spec.mounts ?? []).map(mountConfig),
      NanoCpus: limits?.nanoCpus || undefined,
      Memory: limits?.memoryBytes || undefined,
      MemoryReservation: reservations?.memoryBytes || undefined,
      // An empty HostPort lets the engine choose; the actual port is read back after start.
      PortBindings: portBindings(ports, node.advertise),
      // A task is one attempt: the manager, not the engine, restarts.
      RestartPolicy: { Name: 'no' },
    },
  };
}
