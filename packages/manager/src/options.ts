import type { Clock, Logger, RaftTiming } from '@shoal/api';

export interface ManagerOptions {
  /** host:port of the cluster port (agents, the other managers, and the loopback control API). */
  listen: string;
  dataDir: string;
  /** Address agents and the other managers are told to use; defaults to listen. */
  advertise?: string;
  hostname?: string;
  /** Heartbeat period for a new cluster, ms (default 5000). */
  heartbeatPeriodMs?: number;
  /** Join an existing cluster through any of its managers (only with an empty data dir; ignored afterwards). */
  join?: { addr: string; token: string };
  /**
   * With join: join as this existing node (a promoted agent's id and session secret) rather than as a new one; the
   * node keeps its id, and its agent's session its secret.
   */
  identity?: { nodeId: string; nodeSecret: string };
  /** Restart from this data dir as a one-manager cluster: the other managers are dropped from the Raft cluster. */
  forceNewCluster?: boolean;
  /** The Raft timing of a new cluster (default tick 100 ms, heartbeat 1 tick, election 10 ticks). */
  raftTiming?: RaftTiming;
  /** Entries between snapshots of the Raft log (default 10,000). */
  snapshotInterval?: number;
  /** The latest events kept for a stream's replay (default 10,000). */
  eventsKept?: number;
  clock?: Clock;
  logger?: Logger;
}

export interface ManagerInfo {
  clusterId: string;
  nodeId: string;
  /** Secret for an agent in the same process to hold this node's session. */
  nodeSecret: string;
  /** host:port actually bound (port 0 resolved). */
  addr: string;
  /** Path of the control API's unix socket. */
  controlSocket: string;
}

export interface Manager {
  readonly info: ManagerInfo;
  /** Resolves with the error once the manager has stopped itself because its Raft log failed; never otherwise. */
  readonly failed: Promise<Error>;
  stop(): Promise<void>;
}
