import type Dockerode from 'dockerode';
import type { PortConfig, Task } from '@shoal/api';
import type { ContainerState, Controller } from '../exec/controller.js';
import { containerConfig, containerName, hostPorts, portKey, type NodeIdentity } from './container-config.js';
import { engineError, httpStatus } from './errors.js';
import { dialStream, readToEnd } from './response.js';
import type { ImagePuller } from './image-puller.js';

// The engine's zero time: a container that has never been started.
const NEVER = '0001-01-01T00:00:00Z';

/** Runs one task as one container of the local engine. */
export class DockerController implements Controller {
  private readonly name: string;

  constructor(
    private readonly docker: Dockerode,
    private readonly task: Task,
    private readonly node: NodeIdentity,
    /** The engine's address, for error messages. */
    private readonly host: string,
    private readonly images: ImagePuller,
  ) {
    this.name = containerName(task);
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

  async shutdown(graceMs: number): Promise<void> {
    try {
      await this.container().stop({ t: Math.ceil(graceMs / 1000) });
    } catch (err) {
      const status = httpStatus(err);
      if (status !== 304 && status !== 404) throw engineError(err, this.host); // 304: already stopped
    }
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
      started: info.State.Running || (!!info.State.StartedAt && info.State.StartedAt !== NEVER),
      pid: info.State.Pid,
      exitCode: info.State.ExitCode,
      ports: this.boundPorts(info),
    };
  }

  private container(): Dockerode.Container {
    return this.docker.getContainer(this.name);
  }

  /** The host ports the engine actually bound (it chooses one when the published port is 0). */
  private boundPorts(info: Dockerode.ContainerInspectInfo): PortConfig[] {
    const bound = (info.NetworkSettings?.Ports ?? {}) as Record<string, { HostPort?: string }[] | null>;
    return hostPorts(this.task).map((p) => {
      const host = Number(bound[portKey(p)]?.[0]?.HostPort ?? p.publishedPort);
      return { protocol: p.protocol || 'tcp', targetPort: p.targetPort, publishedPort: host || p.publishedPort, publishMode: 'host' };
    });
  }
}
