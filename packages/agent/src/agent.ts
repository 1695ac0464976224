import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { createLogger, systemClock, systemRand, type Clock, type EndpointTable, type Logger, type Promote } from '@shoal/api';
import { describeNode } from './description.js';
import { DockerExecutor } from './docker/executor.js';
import { defaultDockerHost, Engine } from './docker/engine.js';
import { LogSubscriptions } from './log-subscriptions.js';
import { Mesh, type RoutingMesh } from './mesh/index.js';
import { MeshThread } from './mesh/thread.js';
import type { Agent, AgentOptions } from './options.js';
import { Session } from './session.js';
import { StatusBatcher } from './status-batcher.js';
import { AgentStore, type Identity } from './store.js';
import { Worker } from './worker.js';

/**
 * Starts a node: the engine watch, the stored tasks (resumed at once when the node has joined before), and the
 * session with the leading manager (found from the join address or the managers the last leader listed). On a first
 * join it resolves only once the manager has accepted the node (an unreachable manager is retried meanwhile), and
 * rejects at once if the manager refuses the token. A node that has joined before starts at once and registers in
 * the background. Stopping leaves the containers running: a restarted agent adopts them.
 */
export async function startAgent(opts: AgentOptions): Promise<Agent> {
  const logger = opts.logger ?? createLogger('agent');
  await mkdir(opts.dataDir, { recursive: true });
  const store = await AgentStore.open(opts.dataDir, logger);
  const agent = new NodeAgent(opts, store, logger);
  try {
    await agent.start();
  } catch (err) {
    await agent.stop();
    throw err;
  }
  return agent;
}

class NodeAgent implements Agent {
  readonly nodeId: Promise<string>;
  private readonly clock: Clock;
  private readonly engine: Engine;
  private readonly session: Session;
  private readonly batcher: StatusBatcher;
  private readonly logs: LogSubscriptions;
  private readonly mesh: RoutingMesh;
  private identity: Identity | undefined;
  private worker: Worker | undefined;
  private executor: DockerExecutor | undefined;
  private workerStarted: Promise<void> = Promise.resolve();

  constructor(private readonly opts: AgentOptions, private readonly store: AgentStore, private readonly logger: Logger) {
    this.clock = opts.clock ?? systemClock;
    this.engine = new Engine(opts.dockerHost ?? defaultDockerHost(), this.clock, logger);
    this.batcher = new StatusBatcher(this.clock, (updates) => this.session.send({ status: { updates } }));
    this.logs = new LogSubscriptions({
      nodeId: () => this.identity?.nodeId ?? '',
      task: (taskId) => this.worker?.task(taskId),
      executor: () => this.executor,
      send: (batch) => this.session.send({ logs: batch }),
      clock: this.clock,
      logger,
    });
    const meshOpts = { listenHosts: meshHosts(opts.advertise, opts.meshListen ?? []), logger: logger.child({ component: 'mesh' }) };
    this.mesh = opts.meshThread ? new MeshThread(meshOpts) : new Mesh({ ...meshOpts, clock: this.clock });
    this.session = new Session({
      target: opts.join,
      token: opts.token,
      advertise: opts.advertise,
      managerListen: opts.managerListen ?? '',
      clock: this.clock,
      rand: opts.rand ?? systemRand,
      logger,
      describe: async () => describeNode(await this.engine.info(), opts.hostname ?? os.hostname(), opts.labels ?? {}),
      engineStatus: () => this.engine.current(),
      onRegistered: (identity) => this.registered(identity),
      onManagers: (addrs) => void this.store.saveManagers(addrs),
      onAssignments: (assignments) => void this.worker?.apply(assignments),
      onLogSubscription: (subscription) => this.logs.handle(subscription),
      onPromote: (promote) => this.promoted(promote),
      onEndpoints: (table) => this.applyEndpoints(table),
      meshListeners: () => this.mesh.listeners(),
      onDisconnected: () => this.logs.cancelAll(),
      currentStatuses: () => this.worker?.statuses() ?? [],
    });
    this.nodeId = this.session.registered.then((identity) => identity.nodeId);
    this.nodeId.catch(() => undefined); // a refusal is logged by the session; callers that care await it
  }

  async start(): Promise<void> {
    await this.engine.start();
    this.engine.onChange((status) => {
      this.session.sendHeartbeat();
      if (!status.ready) return;
      this.worker?.engineRecovered();
      void this.session.refreshDescription();
    });
    this.identity = this.opts.nodeId && this.opts.nodeSecret
      ? { nodeId: this.opts.nodeId, nodeSecret: this.opts.nodeSecret }
      : await this.store.identity();
    this.session.knowManagers(await this.store.managers());
    if (this.identity) {
      this.session.useIdentity(this.identity);
      this.startWorker(this.identity.nodeId);
    }
    this.session.start();
    if (!this.identity) await this.session.registered; // a first join: wait for the manager's verdict on the token
  }

  async stop(): Promise<void> {
    // Statuses still in the batch window are dropped: the next registration re-sends every task's status.
    this.session.stop();
    this.batcher.stop();
    this.logs.cancelAll();
    await this.workerStarted;
    await this.worker?.stop();
    this.engine.stop();
    await this.mesh.close();
    await this.store.close();
  }

  private registered(identity: Identity): void {
    if (identity.nodeId !== this.identity?.nodeId || identity.nodeSecret !== this.identity.nodeSecret) {
      void this.store.saveIdentity(identity);
    }
    if (this.worker && identity.nodeId !== this.identity?.nodeId) {
      this.logger.error({ was: this.identity?.nodeId, now: identity.nodeId }, 'manager assigned a different node id; keeping the tasks of the old one');
    }
    this.identity = identity;
    if (!this.worker) this.startWorker(identity.nodeId);
  }

  /** The mesh applies tables in the order given (its own queue); a failure leaves it on the last table applied. */
  private applyEndpoints(table: EndpointTable): void {
    this.mesh.apply(table).catch((err: unknown) => {
      this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'routing mesh could not apply the endpoint table');
    });
  }

  private promoted(promote: Promote): void {
    if (!this.identity) return; // a Promote comes only after Registered
    if (!this.opts.onPromote) {
      this.logger.warn('node promoted, but this agent cannot start a manager');
      return;
    }
    this.logger.info({ joinAddr: promote.joinAddr }, 'node promoted: starting a manager');
    this.opts.onPromote({ token: promote.token, joinAddr: promote.joinAddr, ...this.identity });
  }

  private startWorker(nodeId: string): void {
    this.executor = new DockerExecutor(this.engine, { id: nodeId, advertise: this.opts.advertise }, this.logger, (taskId) => this.mesh.openConnections(taskId));
    this.worker = new Worker({
      store: this.store,
      executor: this.executor,
      clock: this.clock,
      logger: this.logger,
      report: (taskId, status) => this.batcher.add(taskId, status),
      awaitEngine: (cause) => this.engine.awaitReady(cause),
    });
    this.workerStarted = this.worker.start();
  }
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * Where the mesh listens: the advertise address and the --mesh-listen ones, each once. A wildcard already covers
 * every address of the host (and a specific one could not be bound next to it), so with one only the wildcards stay.
 */
export function meshHosts(advertise: string, extra: readonly string[]): string[] {
  const all = [...new Set([advertise, ...extra])];
  const wild = all.filter((h) => WILDCARDS.has(h));
  return wild.length ? wild : all;
}
