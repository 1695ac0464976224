import { chmod, mkdir, rm } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import {
  addControlService, addDispatcherService, addRaftMembershipService, bindServer, createLogger, FailedPreconditionError,
  newId, newSecret, newServer, stopServer, systemClock, systemRand, type Clock, type DispatcherHandlers, type GrpcServer, type Rand,
} from '@shoal/api';
import type { Manager, ManagerOptions } from './options.js';
import { MemoryStore, type WriteTx } from './store/index.js';
import { Dispatcher, hashSecret, refuseNotLeader } from './dispatcher/index.js';
import { controlHandlers } from './controlapi/index.js';
import { DEFAULT_HEARTBEAT_MS, initCluster, loadIdentity, readIdentity, refreshSelf, writeIdentity, type Identity } from './cluster-init.js';
import { startLeaderLoops } from './leader-loops.js';
import { RaftDriver, type RaftDriverOptions } from './raft/driver.js';
import { GrpcRaftTransport } from './raft/grpc-transport.js';
import { LevelStorage } from './raft/storage/index.js';
import { forceNewCluster } from './raft/force-new-cluster.js';
import { JoinService } from './membership/join-service.js';
import { clusterOfToken, requestJoin } from './membership/join-client.js';
import { ControlRouter } from './membership/forward-control.js';
import { EventLog } from './events/index.js';
import { checkRaftTiming, timingOrDefault } from './raft-timing.js';

export const VERSION = '0.1.0';

/** A joining manager waits this long for the leader's snapshot before it reports itself started. */
const CATCH_UP_MS = 10_000;

/**
 * Starts a manager: opens its Raft log — founding a one-voter cluster on an empty data dir, or joining one through
 * `join` —, and serves the Raft and join services, the dispatcher and the control API on the cluster port, and the
 * control API on a unix socket. The dispatcher and the leader loops run while this manager leads; control calls
 * made to a follower are forwarded to the leader.
 */
export async function startManager(opts: ManagerOptions & { rand?: Rand }): Promise<Manager> {
  const clock = opts.clock ?? systemClock;
  const rand = opts.rand ?? systemRand;
  const logger = opts.logger ?? createLogger('manager');
  if (opts.raftTiming) checkRaftTiming(opts.raftTiming);
  if (opts.raftTiming && opts.join) throw timingRefusal();
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const storage = await LevelStorage.open(join(opts.dataDir, 'raft'));

  const servers: GrpcServer[] = [];
  let driver: RaftDriver | undefined;
  let joinService: JoinService | undefined;
  let router: ControlRouter | undefined;
  let events: EventLog | undefined;
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
      // A leader that stops hands over first, so the others need not wait out an election.
      if (driver?.isLeader) {
        const heir = driver.members().find((m) => m.id !== driver!.id && m.reachable);
        if (heir) await driver.transferLeadership(heir.id).catch(() => undefined);
      }
      serving = false;
      stopLeading();
      events?.stop();
      await driver?.stop();
      joinService?.close();
      router?.close();
      await Promise.all(servers.map((s) => stopServer(s)));
      await storage.close();
      if (controlSocket) await rm(controlSocket, { force: true });
    })();
    return stopping;
  };

  try {
    const emptyLog = storage.lastIndex() === 0;
    const joining = emptyLog && opts.join !== undefined;
    if (opts.raftTiming && !emptyLog) throw timingRefusal();
    if (!emptyLog && opts.join) logger.info({ dataDir: opts.dataDir }, 'the data dir holds a Raft log: restarting as a member, --join is ignored');
    const identity: Identity = joining ? await joinIdentity(opts.dataDir, opts.join!.token, rand, opts.identity) : await loadIdentity(opts.dataDir, rand, emptyLog, opts.raftTiming);
    const { nodeId, clusterId } = identity;
    const transport = new GrpcRaftTransport({ id: nodeId, clusterId, logger: logger.child({ component: 'raft' }) });

    let store: MemoryStore | undefined;
    // The dispatcher, the orchestrators and the scheduler run only on the leader, and only once the manager serves.
    const followLeadership = () => {
      if (serving && leading && !leader && store && driver) {
        const dispatcher = new Dispatcher({ store, clock, rand, logger: logger.child({ component: 'dispatcher' }) });
        dispatcher.start();
        leader = { dispatcher, stopLoops: startLeaderLoops({ store, clock, rand, logger, membership: driver, self: nodeId }) };
        logger.info({ nodeId }, 'leading: dispatcher and orchestration started');
        const s = store;
        void s.update((tx) => refreshSelf(tx, nodeId, identity.nodeSecret, advertise))
          .catch((err: unknown) => logger.warn({ err }, 'could not record this manager\'s address'));
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
        refuseNotLeader(call, driver?.leaderInfo().addr ?? '');
      },
    } as DispatcherHandlers);
    const listenHost = opts.listen.slice(0, opts.listen.lastIndexOf(':'));
    const port = await bindServerLate(clusterServer, opts.listen);
    const addr = `${listenHost}:${port}`;
    const advertise = opts.advertise ?? addr;

    if (opts.forceNewCluster) {
      const { index, removed } = await forceNewCluster(storage, { id: nodeId, addr: advertise });
      logger.warn({ index, removed }, 'forced a new cluster: this manager is its only member');
    }

    const driverOpts: RaftDriverOptions = {
      id: nodeId, addr: advertise, storage, log: storage, transport, clock, rand,
      ...(opts.snapshotInterval !== undefined ? { snapshotEvery: opts.snapshotInterval } : {}),
      tickMs: identity.raft.tickMs, heartbeatTicks: identity.raft.heartbeatTicks, electionTicks: identity.raft.electionTicks,
      snapshot: () => store!.encodeSnapshot(),
      restore: (state, index) => {
        store!.restoreSnapshot(state, index);
        logger.info({ index, objects: store!.count('nodes') + store!.count('services') + store!.count('tasks') }, 'store restored from a snapshot');
      },
      onFatal: (err) => {
        logger.error({ err: err.message, dataDir: opts.dataDir }, 'raft failed: the manager stops');
        void stop().catch((e: unknown) => logger.error({ err: e }, 'stopping after a raft failure failed')).then(() => reportFailure(err));
      },
    };
    const hostname = opts.hostname ?? osHostname();
    if (joining) {
      const answer = await requestJoin(opts.join!.addr, {
        token: opts.join!.token, nodeId, addr: advertise, hostname, secretHash: hashSecret(identity.nodeSecret),
      }, clock);
      if (answer.clusterId !== clusterId) throw new FailedPreconditionError(`the manager at ${opts.join!.addr} is in cluster ${answer.clusterId}, not ${clusterId} of the token`);
      // Written once the cluster counts this manager as a voter: a restart then rejoins as the same member.
      const raft = timingOrDefault(answer.raft);
      await writeIdentity(opts.dataDir, { ...identity, raft });
      driver = RaftDriver.join({
        ...driverOpts, tickMs: raft.tickMs, heartbeatTicks: raft.heartbeatTicks, electionTicks: raft.electionTicks,
        peers: new Map(Object.entries(answer.members)),
      });
    } else {
      driver = emptyLog ? await RaftDriver.bootstrap(driverOpts) : new RaftDriver(driverOpts);
    }
    const d = driver;
    store = new MemoryStore(d, clock);
    const s = store;
    // Before the driver applies anything: every committed change becomes an event, on followers too.
    events = new EventLog(s, opts.eventsKept ?? 10_000, clock);
    events.start();
    const ev = events;
    d.onLeaderChange((leaderId, isSelf) => {
      logger.info({ leader: leaderId || '(none)', addr: d.leaderInfo().addr }, 'raft leader changed');
      leading = isSelf;
      followLeadership();
    });
    await d.start();

    if (d.members().length === 1 && d.members()[0]!.id === nodeId) {
      // A lone voter leads at once. An empty transaction through the log: once it is applied, so is everything the
      // log held before it.
      await d.propose([]);
      const cluster = await s.update((tx) => {
        if (!tx.cluster()) initCluster(tx, rand, { ...identity, heartbeatPeriodMs: opts.heartbeatPeriodMs ?? DEFAULT_HEARTBEAT_MS, hostname, addr: advertise });
        return tx.cluster()!;
      });
      if (cluster.id !== clusterId) {
        throw new FailedPreconditionError(`data dir ${opts.dataDir}: identity.json names cluster ${clusterId}, but the Raft log holds cluster ${cluster.id}`);
      }
      // Before an agent in this process registers with the node secret.
      await s.update((tx) => refreshSelf(tx, nodeId, identity.nodeSecret, advertise));
      if (opts.forceNewCluster) await s.update((tx) => demoteFormerManagers(tx, nodeId));
    } else if (joining) {
      await caughtUp(s, clock, CATCH_UP_MS);
    }

    joinService = new JoinService({ store: s, membership: d, logger: logger.child({ component: 'membership' }) });
    addRaftMembershipService(clusterServer, joinService.handlers());
    router = new ControlRouter({ store: s, membership: d, clock });
    const r = router;
    const control = controlHandlers({
      store: s, clock, rand, logger: logger.child({ component: 'controlapi' }), membership: d,
      askLeader: (method, req, timeoutMs) => r.askLeader(method, req, timeoutMs),
      dispatcher: {
        subscribeLogs: (node, sub, onBatch) => {
          if (leader) return leader.dispatcher.subscribeLogs(node, sub, onBatch);
          onBatch({ subscriptionId: '', lines: [], done: true, error: 'this manager is not the leader' });
          return () => undefined;
        },
        connected: (node) => leader?.dispatcher.connected(node) ?? false,
        promote: (node, promote) => leader?.dispatcher.promote(node, promote) ?? false,
        endpointsOf: (service) => leader?.dispatcher.endpointsOf(service) ?? [],
        meshOf: (node) => leader?.dispatcher.meshOf(node) ?? [],
      },
      self: { nodeId, addr: advertise, dataDir: opts.dataDir, version: VERSION },
      events: ev,
    });
    // The control API is unauthenticated until mutual TLS exists: the unix socket and loopback serve anyone; on any
    // other address the cluster port serves only calls forwarded by another manager.
    addControlService(clusterServer, router.handlers(control, !isLoopback(listenHost)));
    controlSocket = join(opts.dataDir, 'control.sock');
    await rm(controlSocket, { force: true });
    const socketServer = newServer();
    servers.push(socketServer);
    addControlService(socketServer, router.handlers(control, false));
    await bindServer(socketServer, `unix:${controlSocket}`);
    await chmod(controlSocket, 0o600);

    serving = true;
    followLeadership();
    logger.info({ addr, nodeId, clusterId, leader: d.leaderInfo().addr }, 'manager started');

    return {
      info: { clusterId, nodeId, nodeSecret: identity.nodeSecret, addr, controlSocket },
      failed,
      stop,
    };
  } catch (err) {
    stopLeading();
    events?.stop();
    await driver?.stop().catch(() => undefined);
    joinService?.close();
    router?.close();
    for (const s of servers) s.forceShutdown();
    await storage.close();
    throw err;
  }
}

/**
 * Binds the cluster port. Services added later (join, control) are served too: grpc-js looks handlers up per call,
 * so the port can take Raft messages while the store is still being read.
 */
async function bindServerLate(server: GrpcServer, listen: string): Promise<number> {
  return bindServer(server, listen).catch((err: Error) => {
    throw new Error(`cannot listen on ${listen}: ${err.message}`);
  });
}

/**
 * A joining manager's identity: the one a crashed earlier attempt wrote, or a node in the token's cluster — the
 * given one (a promoted agent's), else a new one.
 */
async function joinIdentity(dataDir: string, token: string, rand: Rand, given: ManagerOptions['identity']): Promise<Identity> {
  const clusterId = clusterOfToken(token);
  const earlier = await readIdentity(dataDir, rand);
  if (earlier && earlier.clusterId !== clusterId) {
    throw new FailedPreconditionError(`data dir ${dataDir} belongs to cluster ${earlier.clusterId}, the token to cluster ${clusterId}: use an empty data dir`);
  }
  // The timing comes with the join answer.
  return earlier ?? {
    clusterId, nodeId: given?.nodeId ?? newId(rand), nodeSecret: given?.nodeSecret ?? newSecret(rand), raft: timingOrDefault(undefined),
  };
}

/** Waits until the leader's snapshot or log has given this manager the cluster object, or the time is up. */
async function caughtUp(store: MemoryStore, clock: Clock, ms: number): Promise<void> {
  const until = clock.now() + ms;
  while (!store.cluster() && clock.now() < until) await new Promise<void>((resolve) => clock.setTimeout(resolve, 50));
}

/**
 * After --force-new-cluster the other managers are no longer voters: their nodes become workers, as they are now, and
 * one without an agent is down (nothing of it runs in this cluster any more), so `node rm` takes it without --force.
 */
function demoteFormerManagers(tx: WriteTx, self: string): void {
  for (const node of tx.all('nodes')) {
    if (node.id === self || node.spec.role !== 'manager') continue;
    const status = node.status.agent ? node.status : { ...node.status, state: 'down', message: 'removed from the managers by --force-new-cluster' };
    tx.update('nodes', { ...node, spec: { ...node.spec, role: 'worker' }, status });
  }
}

function timingRefusal(): Error {
  return new FailedPreconditionError('the raft timing is chosen when a cluster is founded: it does not go with --join nor with a data dir that holds a cluster');
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === 'localhost' || host === '[::1]' || host === '::1';
}
