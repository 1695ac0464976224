import type Dockerode from 'dockerode';
import { NotFoundError, ShoalError, type PortConfig, type Task } from '@shoal/api';
import type { ContainerState, Controller, HealthStatus } from '../exec/controller.js';
import { containerConfig, containerName, portKey, publishedPorts, type NodeIdentity } from './container-config.js';
import { establishedConnections } from './connections.js';
import { engineError, httpStatus } from './errors.js';
import { healthEvents, healthOf, type HealthEvents } from './health.js';
import { dialStream, readToEnd } from './response.js';
import type { ImagePuller } from './image-puller.js';

// The engine's zero time: a container that has never been started.
const NEVER = '0001-01-01T00:00:00Z';

/** Runs one task as one container of the local engine. */
export class DockerController implements Controller {
  private readonly name: string;
  private readonly health: HealthEvents;

  constructor(
    private readonly docker: Dockerode,
    private readonly task: Task,
    private readonly node: NodeIdentity,
    /** The engine's address, for error messages. */
    private readonly host: string,
    private readonly images: ImagePuller,
    /** This node's mesh's open connections to the task (others' meshes are not counted). */
    private readonly meshConnections: () => Promise<number> = () => Promise.resolve(0),
  ) {
    this.name = containerName(task);
    this.health = healthEvents(docker, node.id, host);
  }

  async prepare(signal: AbortSignal): Promise<void> {
    await this.images.ensure(this.task, signal);
    try {
      await this.docker.createContainer({ ...containerConfig(this.task, this.node), abortSignal: signal });
    } catch (err) {
      // 409: created by an earlier attempt whose answer was lost; that container is ours.
      if (httpStatus(err) !== 409) throw engineError(err, this.host);
    }
  }

  // The runner calls start once per task, and after an agent restart only for a container its resume step found
  // never started: a task is one attempt, so no inspect is needed here.
  async start(): Promise<void> {
    try {
      await this.container().start();
    } catch (err) {
      if (httpStatus(err) !== 304) throw engineError(err, this.host);
    }
  }

  async wait(signal: AbortSignal): Promise<number> {
    try {
      const body = await dialStream(this.docker, {
        path: `/containers/${encodeURIComponent(this.name)}/wait?`,
        method: 'POST',
        options: { _query: { condition: 'not-running' } },
        abortSignal: signal,
        statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container', 500: 'server error' },
      });
      const chunks: Buffer[] = [];
      await readToEnd(body, (chunk) => chunks.push(chunk));
      return (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { StatusCode?: number }).StatusCode ?? 0;
    } catch (err) {
      throw engineError(err, this.host);
    }
  }

  // Subscribe first, then inspect: a change in between is in the stream, a change before it in the inspect.
  // The engine sends no health event once a container has stopped, so a stopped container's wait lasts until aborted.
  healthChange(known: HealthStatus, signal: AbortSignal): Promise<HealthStatus> {
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        subscription.close();
        signal.removeEventListener('abort', onAbort);
        settle();
      };
      const onAbort = (): void => finish(() => reject(new ShoalError('stopped waiting for the container\'s health')));
      const subscription = this.health.subscribe(
        this.name,
        (health) => { if (health !== known) finish(() => resolve(health)); },
        (err) => finish(() => reject(err)),
      );
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      subscription.ready
        .then(() => (done ? undefined : this.inspect()))
        .then((state) => {
          if (done) return;
          if (!state) finish(() => reject(new NotFoundError(`No such container: ${this.name}`)));
          // A container that has stopped has no verdict (its exit is wait()'s to report): keep waiting.
          else if (state.running && state.health !== known) finish(() => resolve(state.health));
        })
        .catch((err: unknown) => finish(() => reject(engineError(err, this.host))));
    });
  }

  async shutdown(graceMs: number): Promise<void> {
    try {
      await this.container().stop({ t: Math.ceil(graceMs / 1000) });
    } catch (err) {
      const status = httpStatus(err);
      if (status !== 304 && status !== 404) throw engineError(err, this.host); // 304: already stopped
    }
  }

  async connections(): Promise<number> {
    const targets = new Set(publishedPorts(this.task).filter((p) => p.publishMode === 'ingress' && (p.protocol || 'tcp') === 'tcp').map((p) => p.targetPort));
    if (!targets.size) return 0;
    // A remote engine's pids are not this host's: only what this node's own mesh carries can be counted.
    if (!procVisible(this.host)) return this.meshConnections();
    const state = await this.inspect();
    return state?.running ? establishedConnections(state.pid, targets) : 0;
  }

  async remove(): Promise<void> {
    try {
      await this.container().remove({ force: true, v: true });
    } catch (err) {
      if (httpStatus(err) !== 404) throw engineError(err, this.host);
    }
  }

  async inspect(): Promise<ContainerState | undefined> {
    let info: Dockerode.ContainerInspectInfo;
    try {
      info = await this.container().inspect();
    } catch (err) {
      if (httpStatus(err) === 404) return undefined;
      throw engineError(err, this.host);
    }
    return {
      containerId: info.Id,
      running: info.State.Running,
      started: info.State.Running || startedAt(info) > 0,
      startedAt: startedAt(info),
      pid: info.State.Pid,
      exitCode: info.State.ExitCode,
      ports: this.boundPorts(info),
      health: healthOf(info),
    };
  }

  private container(): Dockerode.Container {
    return this.docker.getContainer(this.name);
  }

  /** The host ports the engine actually bound (it chooses one for an ingress port, and for a host port of 0). */
  private boundPorts(info: Dockerode.ContainerInspectInfo): PortConfig[] {
    return boundPorts(publishedPorts(this.task), (info.NetworkSettings?.Ports ?? {}) as EngineBindings);
  }
}

/** The engine's inspected port bindings: "80/tcp" -> [{HostIp, HostPort}] (null when not bound). */
export type EngineBindings = Record<string, { HostIp?: string; HostPort?: string }[] | null | undefined>;

/**
 * The task's ports as bound: a host-mode port with the port the engine bound (its published port unless that was
 * 0), an ingress port with the engine-chosen port its container publishes the target on (the mesh's backend
 * address), 0 while not bound. The n-th port of a key is the key's n-th binding, as they were requested.
 */
export function boundPorts(ports: readonly PortConfig[], bound: EngineBindings): PortConfig[] {
  const seen = new Map<string, number>();
  return ports.map((p) => {
    const key = portKey(p);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const actual = Number(bound[key]?.[n]?.HostPort ?? '') || 0;
    const ingress = p.publishMode === 'ingress';
    return {
      protocol: p.protocol || 'tcp',
      targetPort: p.targetPort,
      publishedPort: ingress ? actual : actual || p.publishedPort,
      publishMode: ingress ? 'ingress' : 'host',
    };
  });
}

/**
 * Whether the engine's process ids are this host's, so /proc/<pid> is the container's: a unix socket, or TCP on
 * loopback.
 */
export function procVisible(host: string): boolean {
  if (host.startsWith('unix://') || host.startsWith('/')) return true;
  try {
    const { hostname } = new URL(host.includes('://') ? host : `tcp://${host}`);
    return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
  } catch {
    return false;
  }
}

/** State.StartedAt in unix ms; 0 for a container never started. */
function startedAt(info: Dockerode.ContainerInspectInfo): number {
  const at = info.State.StartedAt;
  if (!at || at === NEVER) return 0;
  const ms = Date.parse(at);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
