// Builders of plain objects for the manager's decision tests: every field set, overrides on top.
import type { Node, PortConfig, Service, ServiceSpec, Task, TaskState, UpdateConfig, UpdateStatus } from '@shoal/api';

export const GiB = 1024 ** 3;
export const CPU = 1e9;

export interface NodeOpts {
  id: string;
  hostname?: string;
  role?: string;
  availability?: string;
  state?: string;
  agent?: boolean;
  labels?: Record<string, string>;
  engineLabels?: Record<string, string>;
  nanoCpus?: number;
  memoryBytes?: number;
  os?: string;
  arch?: string;
}

export function makeNode(o: NodeOpts): Node {
  return {
    id: o.id,
    meta: { version: 1, createdAt: 0, updatedAt: 0 },
    spec: { labels: o.labels ?? {}, role: o.role ?? 'worker', availability: o.availability ?? 'active' },
    description: {
      hostname: o.hostname ?? `host-${o.id}`,
      platform: { os: o.os ?? 'linux', architecture: o.arch ?? 'x86_64' },
      resources: { nanoCpus: o.nanoCpus ?? 4 * CPU, memoryBytes: o.memoryBytes ?? 8 * GiB },
      engineLabels: o.engineLabels ?? {},
      engineVersion: '20.10.0',
    },
    status: { state: o.state ?? 'ready', message: '', addr: '127.0.0.1', agent: o.agent ?? true },
    managerStatus: { addr: '', leader: false, reachability: '' },
    secretHash: '',
  };
}

export interface ServiceOpts {
  id?: string;
  name?: string;
  mode?: 'replicated' | 'global';
  replicas?: number;
  constraints?: string[];
  nanoCpus?: number;
  memoryBytes?: number;
  ports?: PortConfig[];
  restart?: { condition?: string; delayMs?: number; maxAttempts?: number; windowMs?: number };
  image?: string;
  update?: Partial<UpdateConfig>;
  rollback?: Partial<UpdateConfig>;
  updateStatus?: Partial<UpdateStatus>;
  previousSpec?: ServiceSpec;
}

/** Swarm's rollout defaults. */
export const DEFAULT_ROLLOUT: UpdateConfig = { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5_000, maxFailureRatio: 0, order: 'stop-first' };

export function makeService(o: ServiceOpts = {}): Service {
  const id = o.id ?? 'svc1';
  return {
    id,
    meta: { version: 1, createdAt: 0, updatedAt: 0 },
    spec: {
      annotations: { name: o.name ?? id, labels: {} },
      mode: o.mode ?? 'replicated',
      replicas: o.replicas ?? 1,
      task: {
        container: {
          image: o.image ?? 'nginx', command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '', mounts: [], stopGracePeriodMs: 10_000,
          healthcheck: { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 },
        },
        resources: {
          limits: { nanoCpus: 0, memoryBytes: 0 },
          reservations: { nanoCpus: o.nanoCpus ?? 0, memoryBytes: o.memoryBytes ?? 0 },
        },
        restart: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0, ...o.restart },
        placement: { constraints: o.constraints ?? [] },
        forceUpdate: 0,
      },
      endpoint: { ports: o.ports ?? [] },
      registryAuth: { username: '', password: '', serverAddress: '' },
      update: { ...DEFAULT_ROLLOUT, ...o.update },
      rollback: { ...DEFAULT_ROLLOUT, ...o.rollback },
    },
    // No previous spec: an empty one (a spec without a name), as the store holds it.
    previousSpec: o.previousSpec ?? ({ annotations: { name: '', labels: {} } } as ServiceSpec),
    updateStatus: { state: '', startedAt: 0, completedAt: 0, message: '', ...o.updateStatus },
  };
}

export function hostPort(publishedPort: number, protocol = 'tcp'): PortConfig {
  return { protocol, targetPort: 80, publishedPort, publishMode: 'host' };
}

export interface TaskOpts {
  id: string;
  service?: Service;
  slot?: number;
  nodeId?: string;
  state?: TaskState;
  desired?: TaskState;
  createdAt?: number;
  timestamp?: number;
  /** When it started running (ContainerStatus.startedAt). */
  startedAt?: number;
  startAt?: number;
}

/** A task of `service` (default: makeService()) with its spec and endpoint. */
export function makeTask(o: TaskOpts): Task {
  const s = o.service ?? makeService();
  return {
    id: o.id,
    meta: { version: 1, createdAt: o.createdAt ?? 0, updatedAt: o.createdAt ?? 0 },
    serviceId: s.id,
    serviceName: s.spec.annotations.name,
    slot: o.slot ?? 1,
    nodeId: o.nodeId ?? '',
    spec: s.spec.task,
    status: {
      timestamp: o.timestamp ?? o.createdAt ?? 0, state: o.state ?? 'NEW', message: '', err: '',
      container: { containerId: '', pid: 0, exitCode: 0, startedAt: o.startedAt ?? 0 }, ports: [], health: '',
    },
    desiredState: o.desired ?? 'RUNNING',
    endpoint: s.spec.endpoint,
    registryAuth: s.spec.registryAuth,
    startAt: o.startAt ?? 0,
  };
}
