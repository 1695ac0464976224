import type { EndpointTable, MeshListener } from '@shoal/api';

/** What the mesh's thread is started with (workerData). */
export interface MeshThreadData {
  listenHosts: string[];
  connectTimeoutMs?: number;
  udpIdleMs?: number;
  /** The agent logger's level and bindings, so the thread's log lines read like the agent's own. */
  logLevel: string;
  logBindings: Record<string, unknown>;
}

/** The agent asks; the thread answers each request by its id. */
export type MeshCall = { op: 'apply'; table: EndpointTable } | { op: 'connections'; taskId: string } | { op: 'close' };
export type MeshRequest = MeshCall & { id: number };

export type MeshReply =
  | { id: number; ok: true; value?: number }
  | { id: number; ok: false; error: string }
  /** The listeners' counters, sent by the thread when they changed (at most once a STATS_MS) and after each table. */
  | { stats: MeshListener[] };

export const STATS_MS = 1_000;
