import { Worker } from 'node:worker_threads';
import type { EndpointTable, Logger, MeshListener } from '@shoal/api';
import { EndpointSet } from './balancer.js';
import type { RoutingMesh } from './index.js';
import type { MeshCall, MeshReply, MeshRequest, MeshThreadData } from './thread-protocol.js';

/**
 * The thread's young generation (semi-spaces) in MB. Its JavaScript keeps the tables and UDP's client flows (TCP is
 * forwarded natively, tcp-proxy.ts): small objects that live long, which V8's default (up to 16 MB semi-spaces) would
 * hold in a young generation grown for them before they are promoted.
 */
const YOUNG_GENERATION_MB = 4;
/** After the thread died: how long before it is started again with the table it had. */
const RESTART_MS = 1_000;
/** How long close() lets the thread close its connections before it is terminated. */
const CLOSE_MS = 5_000;

export interface MeshThreadOptions {
  listenHosts: string[];
  logger: Logger;
  connectTimeoutMs?: number;
  udpIdleMs?: number;
  /** The thread's entry; default mesh-worker.js beside this module (so also beside the CLI's bundle chunk). */
  entry?: URL;
}

/**
 * The routing mesh on a worker thread of its own (the daemons run it so): the same Mesh, fed the endpoint tables
 * over the thread's port. The host keeps its own copy of the table, so a thread that dies is started again with
 * every route it had; the listeners' counters come from the thread's last report (at most STATS_MS old).
 */
export class MeshThread implements RoutingMesh {
  private worker: Worker;
  private readonly mirror = new EndpointSet();
  private stats: MeshListener[] = [];
  private readonly pending = new Map<number, { resolve(value: number): void; reject(err: Error): void }>();
  private nextId = 1;
  private closed = false;
  /** False from the thread's exit until it is started again. */
  private alive = true;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: MeshThreadOptions) {
    this.worker = this.spawn();
  }

  apply(table: EndpointTable): Promise<void> {
    this.mirror.apply(table);
    return this.request({ op: 'apply', table }).then(() => undefined);
  }

  listeners(): MeshListener[] {
    return this.stats;
  }

  openConnections(taskId: string): Promise<number> {
    return this.request({ op: 'connections', taskId });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    if (!this.alive) return;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // The thread closes its listeners and connections, answers, and ends; one that does not in time is terminated.
    const stuck = setTimeout(() => void worker.terminate(), CLOSE_MS);
    await this.send({ op: 'close' }).catch(() => undefined);
    await exited;
    clearTimeout(stuck);
  }

  private request(req: Exclude<MeshCall, { op: 'close' }>): Promise<number> {
    if (this.closed) return Promise.reject(new Error('routing mesh closed'));
    // While the thread is down, a table waits in the mirror for the next one; nothing is proxied to count.
    if (!this.alive) return req.op === 'apply' ? Promise.resolve(0) : Promise.reject(new Error('routing mesh thread restarting'));
    return this.send(req);
  }

  private send(req: MeshCall): Promise<number> {
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } satisfies MeshRequest);
    });
  }

  private spawn(): Worker {
    const data: MeshThreadData = {
      listenHosts: this.opts.listenHosts,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      udpIdleMs: this.opts.udpIdleMs,
      logLevel: this.opts.logger.level,
      logBindings: this.opts.logger.bindings(),
    };
    const worker = new Worker(this.opts.entry ?? new URL('./mesh-worker.js', import.meta.url), {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.on('message', (reply: MeshReply) => this.received(reply));
    worker.on('error', (err) => this.opts.logger.error({ err: err.message }, 'routing mesh thread failed'));
    worker.on('exit', (code) => this.exited(worker, code));
    return worker;
  }

  private received(reply: MeshReply): void {
    if ('stats' in reply) {
      this.stats = reply.stats;
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value ?? 0);
    else waiting.reject(new Error(reply.error));
  }

  private exited(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.alive = false;
    for (const waiting of this.pending.values()) waiting.reject(new Error(`routing mesh thread exited (code ${code})`));
    this.pending.clear();
    this.stats = [];
    if (this.closed) return;
    this.opts.logger.error({ code, restartInMs: RESTART_MS }, 'routing mesh thread exited; starting it again with its table');
    this.restartTimer = setTimeout(() => {
      this.worker = this.spawn();
      this.alive = true;
      void this.request({ op: 'apply', table: this.mirror.snapshot() }).catch((err: unknown) => {
        this.opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'routing mesh thread could not take its table again');
      });
    }, RESTART_MS);
  }
}
