// Builders of wire objects with every field filled, as the gRPC loader hands them to the CLI (defaults: true).
import type { Node, Service, ServiceSpec, Task, TaskState, UpdateConfig } from '@shoal/api';

export const NOW = 1_700_000_000_000;

export function task(over: {
  id?: string; service?: string; serviceId?: string; slot?: number; node?: string; state?: TaskState; desired?: TaskState;
  createdAt?: number; timestamp?: number; err?: string; message?: string; image?: string; health?: string;
  ports?: Array<{ publishedPort: number; targetPort: number; protocol?: string }>;
} = {}): Task {
  return {
    id: over.id ?? 'taskid0000000000000000001',
    meta: { version: 1, createdAt: over.createdAt ?? NOW - 60_000, updatedAt: NOW },
    serviceId: over.serviceId ?? 'svcid00000000000000000001',
    serviceName: over.service ?? 'web',
    slot: over.slot ?? 1,
    nodeId: over.node ?? 'node1',
    spec: {
      container: {
        image: over.image ?? 'shoal-demo:1', command: [], args: [], env: [], labels: {}, hostname: '', dir: '', user: '',
        mounts: [], stopGracePeriodMs: 10_000, healthcheck: { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 },
      },
      resources: { limits: { nanoCpus: 0, memoryBytes: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } },
      restart: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 },
      placement: { constraints: [] },
      forceUpdate: 0,
    },
    status: {
      timestamp: over.timestamp ?? NOW - 8_000,
      state: over.state ?? 'RUNNING',
      message: over.message ?? '',
      err: over.err ?? '',
      container: { containerId: '', pid: 0, exitCode: 0, startedAt: 0 },
      ports: (over.ports ?? []).map((p) => ({ protocol: p.protocol ?? 'tcp', targetPort: p.targetPort, publishedPort: p.publishedPort, publishMode: 'host' })),
      health: over.health ?? '',
    },
    desiredState: over.desired ?? 'RUNNING',
    endpoint: { ports: [] },
    registryAuth: { username: '', password: '', serverAddress: '' },
    startAt: 0,
  };
}

export function node(over: {
  id?: string; hostname?: string; state?: string; availability?: string; role?: string; leader?: boolean;
  labels?: Record<string, string>; engineLabels?: Record<string, string>; engineVersion?: string;
} = {}): Node {
  const manager = over.role === 'manager';
  return {
    id: over.id ?? 'node1',
    meta: { version: 1, createdAt: NOW, updatedAt: NOW },
    spec: { labels: over.labels ?? {}, role: over.role ?? 'worker', availability: over.availability ?? 'active' },
    description: {
      hostname: over.hostname ?? 'node-1', platform: { os: 'linux', architecture: 'x86_64' },
      resources: { nanoCpus: 4e9, memoryBytes: 8 * 1024 ** 3 }, engineLabels: over.engineLabels ?? {},
      engineVersion: over.engineVersion ?? '20.10.24',
    },
    status: { state: over.state ?? 'ready', message: '', addr: '127.0.0.2', agent: true },
    managerStatus: { addr: manager ? '127.0.0.1:4242' : '', leader: over.leader ?? false, reachability: manager ? 'reachable' : '' },
    secretHash: '',
  };
}

export const ROLLOUT_DEFAULTS = { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5_000, maxFailureRatio: 0, order: 'stop-first' };

export function service(over: {
  id?: string; name?: string; mode?: string; replicas?: number; image?: string; labels?: Record<string, string>;
  ports?: Array<{ publishedPort: number; targetPort: number; protocol?: string }>;
  update?: Partial<UpdateConfig>; rollback?: Partial<UpdateConfig>; state?: string; message?: string;
} = {}): Service {
  const spec: ServiceSpec = {
    annotations: { name: over.name ?? 'web', labels: over.labels ?? {} },
    task: task().spec,
    mode: over.mode ?? 'replicated',
    replicas: over.replicas ?? 1,
    endpoint: { ports: (over.ports ?? []).map((p) => ({ protocol: p.protocol ?? 'tcp', targetPort: p.targetPort, publishedPort: p.publishedPort, publishMode: 'host' })) },
    registryAuth: { username: '', password: '', serverAddress: '' },
    update: { ...ROLLOUT_DEFAULTS, ...over.update },
    rollback: { ...ROLLOUT_DEFAULTS, ...over.rollback },
  };
  spec.task.container.image = over.image ?? 'shoal-demo:1';
  const none = structuredClone(spec);
  none.annotations.name = '';
  return {
    id: over.id ?? 'svcid00000000000000000001', meta: { version: 3, createdAt: NOW, updatedAt: NOW }, spec, previousSpec: none,
    updateStatus: { state: over.state ?? '', startedAt: over.state ? NOW - 10_000 : 0, completedAt: 0, message: over.message ?? '' },
  };
}
