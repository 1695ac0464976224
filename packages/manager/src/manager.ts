import { chmod, mkdir, rm } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import {
  addControlService, addDispatcherService, bindServer, createLogger, FailedPreconditionError, GrpcStatus, newSecret,
  newServer, stopServer, systemClock, systemRand, type DispatcherHandlers, type GrpcServer, type Rand,
} from '@shoal/api';
import type { Manager, ManagerOptions } from './options.js';
import { MemoryStore, type StoreObject, type TableName } from './store/index.js';
import { Dispatcher } from './dispatcher/index.js';
import { controlHandlers } from './controlapi/index.js';
import { DEFAULT_HEARTBEAT_MS, initCluster, loadIdentity, refreshSelf } from './cluster-init.js';
import { startLeaderLoops } from './leader-loops.js';
import { RaftDriver, type RaftDriverOptions } from './raft/driver.js';
import { GrpcRaftTransport } from './raft/grpc-transport.js';
import { LevelStorage } from './raft/storage/index.js';

export const VERSION = '0.1.0';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Starts a manager: opens its Raft log (founding a one-voter cluster on an empty data dir), creates the cluster on
 * its first start, and serves the Raft service and the dispatcher on the cluster port and the control API on a unix
 * socket (and on the cluster port when that is loopback). The dispatcher and the leader loops run while this manager
 * leads.
 */
export async function startManager(opts: ManagerOptions & { rand?: Rand }): Promise<Manager> {
  const clock = opts.clock ?? systemClock;
  const rand = opts.rand ?? systemRand;
  const logger = opts.logger ?? createLogger('manager');
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const storage = await LevelStorage.open(join(opts.dataDir, 'raft'));

  const servers: GrpcServer[] = [];
  let driver: RaftDriver | undefined;
  let leader: { dispatcher: Dispatcher; stopLoops: () => void } | undefined;
  let leading = false;
  let serving = false;
  let stopping: Promise<void> | undefined;
  let controlSocket = '';
  let reportFailure: (err: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => { reportFailure = resolve; });

  const stopLeading = () => {
    if (!leader) return;
    leader.stopLoops();
    leader.dispatcher.stop();
    leader = undefined;
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      serving = false;
      stopLeading();
      await driver?.stop();
      await Promise.all(servers.map((s) => stopServer(s)));
      await storage.close();
      if (controlSocket) await rm(controlSocket, { force: true });
    })();
    return stopping;
  };

  try {
    const identity = await loadIdentity(opts.dataDir, rand, storage.lastIndex() === 0);
    const { nodeId, clusterId } = identity;
    const transport = new GrpcRaftTransport({ id: nodeId, clusterId, logger: logger.child({ component: 'raft' }) });

    let store: MemoryStore | undefined;
    // The dispatcher, the orchestrators and the scheduler run only on the leader, and only once the manager serves.
    const followLeadership = () => {
      if (serving && leading && !leader && store) {
        const dispatcher = new Dispatcher({ store, clock, rand, logger: logger.child({ component: 'dispatcher' }) });
        dispatcher.start();
        leader = { dispatcher, stopLoops: startLeaderLoops({ store, clock, rand, logger }) };
        logger.info({ nodeId }, 'leading: dispatcher and orchestration started');
      } else if (!(serving && leading) && leader) {
        stopLeading();
        logger.info({ nodeId }, 'no longer leading: dispatcher and orchestration stopped');
      }
    };

    const clusterServer = newServer();
    servers.push(clusterServer);
    transport.register(clusterServer);
    addDispatcherService(clusterServer, {
      Session: (call) => {
        if (leader) return (leader.dispatcher.handlers().Session as (c: typeof call) => void)(call);
        const details = 'this manager is not the leader';
        call.emit('error', { code: GrpcStatus.UNAVAILABLE, details, message: details });
      },
    } as DispatcherHandlers);
    const listenHost = opts.listen.slice(0, opts.listen.lastIndexOf(':'));
    const port = await bindServer(clusterServer, opts.listen).catch((err: Error) => {
      throw new Error(`cannot listen on ${opts.listen}: ${err.message}`);
    });
    const addr = `${listenHost}:${port}`;
    const advertise = opts.advertise ?? addr;

    const driverOpts: RaftDriverOptions = {
      id: nodeId, addr: advertise, storage, log: storage, transport, clock, rand,
      snapshot: () => encoder.encode(JSON.stringify([...store!.objects()])),
      restore: (state, index) => {
        const objects = state.length > 0 ? JSON.parse(decoder.decode(state)) as Array<[TableName, StoreObject]> : [];
        store!.restore(objects, index);
      },
      onFatal: (err) => {
        logger.error({ err: err.message, dataDir: opts.dataDir }, 'raft failed: the manager stops');
        void stop().catch((e: unknown) => logger.error({ err: e }, 'stopping after a raft failure failed')).then(() => reportFailure(err));
      },
    };
    driver = storage.lastIndex() === 0 ? await RaftDriver.bootstrap(driverOpts) : new RaftDriver(driverOpts);
    store = new MemoryStore(driver, clock);
    const s = store;
    driver.onLeaderChange((_leader, isSelf) => {
      leading = isSelf;
      followLeadership();
    });
    await driver.start();

    // An empty transaction through the log: once it is applied, so is everything the log held before it.
    await driver.propose([]);
    const hostname = opts.hostname ?? osHostname();
    const cluster = await s.update((tx) => {
      if (!tx.cluster()) initCluster(tx, rand, { ...identity, heartbeatPeriodMs: opts.heartbeatPeriodMs ?? DEFAULT_HEARTBEAT_MS, hostname, addr: opts.advertise ?? opts.listen });
      return tx.cluster()!;
    });
    if (cluster.id !== clusterId || cluster.createdBy !== nodeId) {
      throw new FailedPreconditionError(`data dir ${opts.dataDir}: identity.json names cluster ${clusterId}, but the Raft log holds cluster ${cluster.id}`);
    }
    const nodeSecret = newSecret(rand);
    await s.update((tx) => refreshSelf(tx, nodeId, nodeSecret, advertise));

    const control = controlHandlers({
      store: s, clock, rand, logger: logger.child({ component: 'controlapi' }),
      dispatcher: {
        subscribeLogs: (node, sub, onBatch) => {
          if (leader) return leader.dispatcher.subscribeLogs(node, sub, onBatch);
          onBatch({ subscriptionId: '', lines: [], done: true, error: 'this manager is not the leader' });
          return () => undefined;
        },
      },
      self: { nodeId, addr: advertise, dataDir: opts.dataDir, version: VERSION },
    });
    // The control API is unauthenticated until mutual TLS exists: only a local socket and loopback serve it.
    if (isLoopback(listenHost)) addControlService(clusterServer, control);
    controlSocket = join(opts.dataDir, 'control.sock');
    await rm(controlSocket, { force: true });
    const socketServer = newServer();
    servers.push(socketServer);
    addControlService(socketServer, control);
    await bindServer(socketServer, `unix:${controlSocket}`);
    await chmod(controlSocket, 0o600);

    serving = true;
    followLeadership();
    logger.info({ addr, nodeId, clusterId }, 'manager started');

    return {
      info: { clusterId, nodeId, nodeSecret, addr, controlSocket },
      failed,
      stop,
    };
  } catch (err) {
    stopLeading();
    await driver?.stop().catch(() => undefined);
    for (const s of servers) s.forceShutdown();
    await storage.close();
    throw err;
  }
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === 'localhost' || host === '[::1]' || host === '::1';
}
