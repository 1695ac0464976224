import Dockerode from 'dockerode';
import type { Cancel, Clock, Logger } from '@shoal/api';
import { engineMessage } from './errors.js';

const PROBE_TIMEOUT_MS = 3_000;
/** How often the engine is pinged while it answers, and while it does not. */
const PROBE_UP_MS = 5_000;
const PROBE_DOWN_MS = 1_000;

export interface EngineStatus {
  ready: boolean;
  message: string;
}

/** The parts of `docker info` the agent uses. */
export interface DockerInfo {
  OSType?: string;
  Architecture?: string;
  NCPU?: number;
  MemTotal?: number;
  Labels?: string[];
  ServerVersion?: string;
}

/** DOCKER_HOST syntax (unix:///path, tcp://host:port, or a bare socket path) as dockerode options. */
export function dockerOptions(host: string): Dockerode.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('/')) return { socketPath: host };
  const url = new URL(host.includes('://') ? host : `tcp://${host}`);
  return { host: url.hostname, port: url.port || 2375, protocol: 'http' };
}

export function defaultDockerHost(): string {
  return process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/**
 * The local Docker engine and whether it answers. The engine may be down when the agent starts or go away
 * later: the agent keeps running, reports it in heartbeats, and resumes its tasks when the engine is back.
 */
export class Engine {
  readonly docker: Dockerode;
  /** A client with a timeout, for probes only: a wait() on a container must be able to last for days. */
  private readonly probeClient: Dockerode;
  private status: EngineStatus;
  private readonly waiters = new Set<() => void>();
  private readonly listeners: ((status: EngineStatus) => void)[] = [];
  private cancelProbe: Cancel | undefined;
  private probing = false;
  private stopped = false;

  constructor(
    readonly host: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.docker = new Dockerode(dockerOptions(host));
    this.probeClient = new Dockerode({ ...dockerOptions(host), timeout: PROBE_TIMEOUT_MS });
    this.status = { ready: false, message: `connecting to Docker engine at ${host}` };
  }

  /** Probes once (so the first registration describes the engine), then keeps probing in the background. */
  async start(): Promise<void> {
    await this.probe();
  }

  current(): EngineStatus {
    return { ...this.status };
  }

  onChange(listener: (status: EngineStatus) => void): void {
    this.listeners.push(listener);
  }

  /** A call just failed to reach the engine: marks it down and resolves once it answers again. */
  awaitReady(cause: Error): Promise<void> {
    this.setStatus({ ready: false, message: cause.message });
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** `docker info`, or undefined while the engine does not answer. */
  async info(): Promise<DockerInfo | undefined> {
    try {
      return (await this.probeClient.info()) as DockerInfo;
    } catch {
      return undefined;
    }
  }

  stop(): void {
    this.stopped = true;
    this.cancelProbe?.();
    this.waiters.clear();
  }

  private async probe(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    try {
      await this.probeClient.ping();
      this.setStatus({ ready: true, message: '' });
    } catch (err) {
      this.setStatus({ ready: false, message: `cannot reach Docker engine at ${this.host}: ${engineMessage(err)}` });
    } finally {
      this.probing = false;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancelProbe?.();
    this.cancelProbe = this.clock.setTimeout(() => void this.probe(), this.status.ready ? PROBE_UP_MS : PROBE_DOWN_MS);
  }

  private setStatus(next: EngineStatus): void {
    const changed = next.ready !== this.status.ready;
    this.status = next;
    if (!changed) return;
    if (next.ready) {
      this.logger.info({ host: this.host }, 'Docker engine reachable');
      for (const resolve of this.waiters) resolve();
      this.waiters.clear();
    } else {
      this.logger.warn({ host: this.host, err: next.message }, 'Docker engine unreachable');
      this.schedule(); // probe at the faster pace while it is down
    }
    for (const listener of this.listeners) listener(this.current());
  }
}
