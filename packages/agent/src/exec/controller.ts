import type { PortConfig } from '@shoal/api';

/** A container's health as the engine reports it; '' when it has no health check. */
export type HealthStatus = '' | 'starting' | 'healthy' | 'unhealthy';

/** What the engine says about a task's container. */
export interface ContainerState {
  containerId: string;
  running: boolean;
  /** The container has been started at least once (so it must never be started again). */
  started: boolean;
  /** When the engine last started it, unix ms; 0 when never. */
  startedAt: number;
  pid: number;
  exitCode: number;
  /**
   * The published ports as actually bound on the node: host-mode ports, and each ingress port with the
   * engine-chosen port its target is published on (where the routing mesh forwards to).
   */
  ports: PortConfig[];
  /**
   * '' without a health check (none in the image or the spec, or disabled); 'starting' until its first result. Only a
   * running container has a verdict: one not running (yet, or any more) with a check is 'starting'.
   */
  health: HealthStatus;
}

/**
 * Drives one task's container. Every method is idempotent, so a runner resuming after an agent restart
 * can replay a step whose outcome it never saw. Engine outages surface as UnavailableError.
 */
export interface Controller {
  /** Pulls the image when missing, then creates the container unless it exists. */
  prepare(signal: AbortSignal): Promise<void>;
  /** Starts the container, unless it has already been started once. */
  start(): Promise<void>;
  /** Resolves with the exit code once the container has exited. */
  wait(signal: AbortSignal): Promise<number>;
  /**
   * Resolves with the running container's health as soon as it differs from `known` (at once when it already does);
   * a container that has stopped never resolves it (its exit is wait()'s). Rejects when signal aborts; the caller
   * aborts it once it no longer cares, which releases what it holds.
   */
  healthChange(known: HealthStatus, signal: AbortSignal): Promise<HealthStatus>;
  /** Stops the container: SIGTERM, then SIGKILL after graceMs. No-op when not running or absent. */
  shutdown(graceMs: number): Promise<void>;
  /**
   * Established TCP connections to the container's ingress target ports now, whichever node's mesh carried them
   * (0 when the container is not running; only this node's mesh's when the engine runs on another host).
   */
  connections(): Promise<number>;
  /** Removes the container; no-op when absent. */
  remove(): Promise<void>;
  /** The container's state, or undefined when it does not exist. */
  inspect(): Promise<ContainerState | undefined>;
}
