import type { Clock, Logger, Rand } from '@shoal/api';

export interface AgentOptions {
  /** host:port of any manager: a follower sends the agent to the leader, and the leader lists the others. */
  join: string;
  /** Join token; not needed when nodeId and nodeSecret are known. */
  token?: string;
  /** Address this node publishes ports on and is known by (e.g. 127.0.0.2); the routing mesh listens on it. */
  advertise: string;
  /** More addresses the routing mesh listens on for every published ingress port (e.g. 0.0.0.0, or a public IP). */
  meshListen?: string[];
  dataDir: string;
  /** Docker engine, e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375; default from DOCKER_HOST or the local socket. */
  dockerHost?: string;
  hostname?: string;
  /** Engine labels of this node (constraint key engine.labels.X). */
  labels?: Record<string, string>;
  /**
   * host:port a manager on this node would listen on: the node can then be promoted (node promote), and onPromote
   * is called when it is.
   */
  managerListen?: string;
  /** The node was promoted: its owner starts a manager that joins the cluster as this node. */
  onPromote?(promotion: Promotion): void;
  /** Identity given by a manager in the same process (shoal up / manager --agent). */
  nodeId?: string;
  nodeSecret?: string;
  /**
   * Runs the routing mesh on a worker thread of its own (the daemons do): proxying then does not wait for the
   * agent's work, and idle connections cost less memory. Without it, the mesh runs on this thread with `clock`.
   */
  meshThread?: boolean;
  clock?: Clock;
  /** Jitter of the reconnect backoff. */
  rand?: Rand;
  logger?: Logger;
}

/** What a promoted node's manager needs to join the cluster as this node. */
export interface Promotion {
  /** The manager join token. */
  token: string;
  /** The leader's address. */
  joinAddr: string;
  nodeId: string;
  /** The node's session secret: the manager joins with it, so this agent's session keeps working. */
  nodeSecret: string;
}

export interface Agent {
  /**
   * Resolves once registered with a manager; the node id. Rejects (UnauthenticatedError) if the manager no longer
   * knows the node (removed from the cluster): the agent then stops trying, and its containers are left as they are.
   */
  readonly nodeId: Promise<string>;
  stop(): Promise<void>;
}
