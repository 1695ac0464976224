import { chmod, mkdir, rm } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import {
  addControlService, addDispatcherService, bindServer, createLogger, newSecret, newServer, stopServer, systemClock,
  systemRand, type GrpcServer, type Rand,
} from '@shoal/api';
import type { Manager, ManagerOptions } from './options.js';
import { LevelProposer, MemoryStore } from './store/index.js';
import { Dispatcher } from './dispatcher/index.js';
import { controlHandlers } from './controlapi/index.js';
import { DEFAULT_HEARTBEAT_MS, initCluster, refreshSelf } from './cluster-init.js';
import { startLeaderLoops } from './leader-loops.js';

export const VERSION = '0.1.0';

/**
 * Starts a manager: opens its store, creates the cluster on an empty data dir, and serves the dispatcher on the
 * cluster port and the control API on a unix socket (and on the cluster port when that is loopback).
 */
export async function startManager(opts: ManagerOptions & { rand?: Rand }): Promise<Manager> {
  const clock = opts.clock ?? systemClock;
  const rand = opts.rand ?? systemRand;
  const logger = opts.logger ?? createLogger('manager');
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const { proposer, objects, index } = await LevelProposer.open(join(opts.dataDir, 'store'));
  const store = new MemoryStore(proposer, clock);
  store.restore(objects, index);

  const servers: GrpcServer[] = [];
  let stopLoops: (() => void) | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    const hostname = opts.hostname ?? osHostname();
    const cluster = await store.update((tx) => {
      if (!tx.cluster()) initCluster(tx, rand, { heartbeatPeriodMs: opts.heartbeatPeriodMs ?? DEFAULT_HEARTBEAT_MS, hostname, addr: opts.advertise ?? opts.listen });
      return tx.cluster()!;
    });
    const nodeId = cluster.createdBy;
    const nodeSecret = newSecret(rand);

    dispatcher = new Dispatcher({ store, clock, rand, logger: logger.child({ component: 'dispatcher' }) });
    const clusterServer = newServer();
    servers.push(clusterServer);
    addDispatcherService(clusterServer, dispatcher.handlers());
    const listenHost = opts.listen.slice(0, opts.listen.lastIndexOf(':'));
    const port = await bindServer(clusterServer, opts.listen).catch((err: Error) => {
      throw new Error(`cannot listen on ${opts.listen}: ${err.message}`);
    });
    const addr = `${listenHost}:${port}`;
    const advertise = opts.advertise ?? addr;
    await store.update((tx) => refreshSelf(tx, nodeId, nodeSecret, advertise));

    const control = controlHandlers({
      store, dispatcher, clock, rand, logger: logger.child({ component: 'controlapi' }),
      self: { nodeId, addr: advertise, dataDir: opts.dataDir, version: VERSION },
    });
    // The control API is unauthenticated until mutual TLS exists: only a local socket and loopback serve it.
    if (isLoopback(listenHost)) addControlService(clusterServer, control);
    const controlSocket = join(opts.dataDir, 'control.sock');
    await rm(controlSocket, { force: true });
    const socketServer = newServer();
    servers.push(socketServer);
    addControlService(socketServer, control);
    await bindServer(socketServer, `unix:${controlSocket}`);
    await chmod(controlSocket, 0o600);

    dispatcher.start();
    stopLoops = startLeaderLoops({ store, clock, rand, logger });
    logger.info({ addr, nodeId, clusterId: cluster.id }, 'manager started');

    const d = dispatcher;
    return {
      info: { clusterId: cluster.id, nodeId, nodeSecret, addr, controlSocket },
      async stop() {
        stopLoops?.();
        d.stop();
        await Promise.all(servers.map((s) => stopServer(s)));
        await store.update(() => undefined);
        await proposer.close();
        await rm(controlSocket, { force: true });
      },
    };
  } catch (err) {
    stopLoops?.();
    dispatcher?.stop();
    for (const s of servers) s.forceShutdown();
    await proposer.close();
    throw err;
  }
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === 'localhost' || host === '[::1]' || host === '::1';
}
