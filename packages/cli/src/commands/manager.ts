import { createLogger, parseDuration, type RaftTiming } from '@shoal/api';
import type { Manager } from '@shoal/manager';
import type { Command } from 'commander';
import { join } from 'node:path';
import { collect, type Deps } from '../context.js';
import { CliError } from '../errors.js';
import { advertiseHostOf, parseEngineLabels, parseHeartbeat, parseLogLevel, parseMeshListen } from '../daemon/flags.js';
import { runUntilSignal } from '../daemon/run.js';
import { startEmbedded } from '../daemon/embedded.js';
import { defaultDataDir, parseHostPort } from '../parse/host.js';

interface Flags {
  listen: string;
  dataDir: string;
  advertise?: string;
  hostname?: string;
  dispatcherHeartbeat?: string;
  agent?: boolean;
  dockerHost?: string;
  label?: string[];
  meshListen?: string[];
  logLevel?: string;
  join?: string;
  token?: string;
  forceNewCluster?: boolean;
  snapshotInterval?: string;
  eventsKept?: string;
  raftTick?: string;
  raftHeartbeatTicks?: string;
  raftElectionTicks?: string;
}

export function registerManager(program: Command, deps: Deps): void {
  program.command('manager')
    .description('Run a manager (with --agent, also an agent for this host)')
    .option('--listen <host:port>', 'Address of the cluster port', '127.0.0.1:4242')
    .option('--data-dir <dir>', 'Where the manager keeps its state', defaultDataDir(deps.home))
    .option('--advertise <host:port>', 'Address agents are told to use (default: the listen address)')
    .option('--hostname <name>', 'Hostname of this node')
    .option('--dispatcher-heartbeat <duration>', 'Heartbeat period of a new cluster (default 5s)')
    .option('--join <host:port>', 'Join the cluster of this manager (any manager of it) as a manager')
    .option('--token <token>', 'Manager join token, with --join (shoal join-token manager -q)')
    .option('--force-new-cluster', 'Restart a cluster that lost quorum as a one-manager cluster from this data dir')
    .option('--raft-tick <duration>', 'Raft tick of a new cluster (default 100ms)')
    .option('--raft-heartbeat-ticks <n>', 'Ticks between the leader\'s heartbeats, for a new cluster (default 1)')
    .option('--raft-election-ticks <n>', 'Ticks without a leader before an election, for a new cluster (default 10)')
    .option('--snapshot-interval <entries>', 'Raft log entries between snapshots (default 10000)')
    .option('--events-kept <n>', 'Latest events this manager keeps for `shoal events --since` (default 10000)')
    .option('--agent', 'Also run an agent in this process, so this host runs tasks')
    .option('--docker-host <url>', 'Docker engine of the agent (default: $DOCKER_HOST or the local socket)')
    .option('--label <KEY=VALUE>', 'Engine label of the agent (repeatable)', collect)
    .option('--mesh-listen <addr>', 'Another address the agent\'s routing mesh listens on for published ports (repeatable; 0.0.0.0 for all)', collect)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .action(async (flags: Flags) => {
      const listen = parseHostPort(flags.listen, 'listen address', true);
      if (flags.advertise !== undefined) parseHostPort(flags.advertise, 'advertise address', false);
      const heartbeatPeriodMs = parseHeartbeat(flags.dispatcherHeartbeat);
      const level = parseLogLevel(flags.logLevel);
      const labels = parseEngineLabels(flags.label ?? []);
      if ((flags.join === undefined) !== (flags.token === undefined)) throw new CliError('--join and --token go together: --join <MANAGER:PORT> --token <MANAGER TOKEN>');
      if (flags.join !== undefined) parseHostPort(flags.join, 'join address', false);
      if (flags.join !== undefined && flags.forceNewCluster) throw new CliError('--force-new-cluster restarts a cluster from this data dir: it does not go with --join');
      const raftTiming = parseRaftTiming(flags);
      const snapshotInterval = flags.snapshotInterval === undefined ? undefined : countFlag(flags.snapshotInterval, '--snapshot-interval', 'entries', 10_000_000);
      const eventsKept = flags.eventsKept === undefined ? undefined : countFlag(flags.eventsKept, '--events-kept', 'events', 100_000);
      const meshListen = parseMeshListen(flags.meshListen ?? []);
      if (!flags.agent && (flags.dockerHost !== undefined || flags.label || flags.meshListen)) {
        throw new CliError('--docker-host, --label and --mesh-listen are settings of the agent: add --agent');
      }

      const managerOpts = {
        listen: flags.listen, dataDir: flags.dataDir, logger: createLogger('manager', level),
        ...(flags.advertise !== undefined ? { advertise: flags.advertise } : {}),
        ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
        ...(heartbeatPeriodMs !== undefined ? { heartbeatPeriodMs } : {}),
        ...(flags.join !== undefined && flags.token !== undefined ? { join: { addr: flags.join, token: flags.token } } : {}),
        ...(flags.forceNewCluster ? { forceNewCluster: true } : {}),
        ...(snapshotInterval !== undefined ? { snapshotInterval } : {}),
        ...(eventsKept !== undefined ? { eventsKept } : {}),
        ...(raftTiming !== undefined ? { raftTiming } : {}),
      };
      let stop: () => Promise<void>;
      let manager: Manager;
      if (flags.agent) {
        ({ manager, stop } = await startEmbedded(managerOpts, {
          advertise: advertiseHostOf(listen.host),
          meshListen,
          dataDir: join(flags.dataDir, 'agent'),
          labels,
          logger: createLogger('agent', level),
          ...(flags.dockerHost !== undefined ? { dockerHost: flags.dockerHost } : {}),
          ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
        }));
      } else {
        const { startManager } = await import('@shoal/manager');
        manager = await startManager(managerOpts);
        stop = () => manager.stop();
      }
      deps.out.out(`manager listening on ${manager.info.addr} (node ${manager.info.nodeId})`);
      await runUntilSignal(stop, manager.failed);
    });
}

/** A flag's whole number of `unit` from 1 to `max`; anything else is refused with one line. */
function countFlag(text: string, flag: string, unit: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) throw new CliError(`invalid ${flag} "${text}": use a whole number of ${unit} from 1 to ${max}`);
  return n;
}

/** The Raft timing flags of a new cluster, each defaulted; undefined when none is given. */
function parseRaftTiming(flags: Flags): RaftTiming | undefined {
  if (flags.raftTick === undefined && flags.raftHeartbeatTicks === undefined && flags.raftElectionTicks === undefined) return undefined;
  const ticks = (text: string | undefined, what: string, dflt: number) => {
    if (text === undefined) return dflt;
    if (!/^\d+$/.test(text)) throw new CliError(`invalid ${what} "${text}": use a whole number of ticks`);
    return Number(text);
  };
  return {
    tickMs: flags.raftTick === undefined ? 100 : parseDuration(flags.raftTick, 'raft tick'),
    heartbeatTicks: ticks(flags.raftHeartbeatTicks, '--raft-heartbeat-ticks', 1),
    electionTicks: ticks(flags.raftElectionTicks, '--raft-election-ticks', 10),
  };
}
