import { createLogger } from '@shoal/api';
import type { Agent } from '@shoal/agent';
import type { Command } from 'commander';
import { join } from 'node:path';
import { collect, type Deps } from '../context.js';
import { CliError } from '../errors.js';
import { advertiseHostOf, parseEngineLabels, parseHeartbeat, parseLogLevel } from '../daemon/flags.js';
import { runUntilSignal } from '../daemon/run.js';
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
  logLevel?: string;
}

export function registerManager(program: Command, deps: Deps): void {
  program.command('manager')
    .description('Run a manager (with --agent, also an agent for this host)')
    .option('--listen <host:port>', 'Address of the cluster port', '127.0.0.1:4242')
    .option('--data-dir <dir>', 'Where the manager keeps its state', defaultDataDir(deps.home))
    .option('--advertise <host:port>', 'Address agents are told to use (default: the listen address)')
    .option('--hostname <name>', 'Hostname of this node')
    .option('--dispatcher-heartbeat <duration>', 'Heartbeat period of a new cluster (default 5s)')
    .option('--agent', 'Also run an agent in this process, so this host runs tasks')
    .option('--docker-host <url>', 'Docker engine of the agent (default: $DOCKER_HOST or the local socket)')
    .option('--label <KEY=VALUE>', 'Engine label of the agent (repeatable)', collect)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .action(async (flags: Flags) => {
      const listen = parseHostPort(flags.listen, 'listen address', true);
      if (flags.advertise !== undefined) parseHostPort(flags.advertise, 'advertise address', false);
      const heartbeatPeriodMs = parseHeartbeat(flags.dispatcherHeartbeat);
      const level = parseLogLevel(flags.logLevel);
      const labels = parseEngineLabels(flags.label ?? []);
      if (!flags.agent && (flags.dockerHost !== undefined || flags.label)) {
        throw new CliError('--docker-host and --label are settings of the agent: add --agent');
      }

      // Loaded here, not at start-up: client commands need neither daemon (nor LevelDB, nor dockerode).
      const [{ startManager }, { startAgent }] = await Promise.all([import('@shoal/manager'), import('@shoal/agent')]);
      const manager = await startManager({
        listen: flags.listen, dataDir: flags.dataDir, logger: createLogger('manager', level),
        ...(flags.advertise !== undefined ? { advertise: flags.advertise } : {}),
        ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
        ...(heartbeatPeriodMs !== undefined ? { heartbeatPeriodMs } : {}),
      });
      let agent: Agent | undefined;
      if (flags.agent) {
        try {
          agent = await startAgent({
            join: manager.info.addr,
            advertise: advertiseHostOf(listen.host),
            dataDir: join(flags.dataDir, 'agent'),
            nodeId: manager.info.nodeId,
            nodeSecret: manager.info.nodeSecret,
            labels,
            logger: createLogger('agent', level),
            ...(flags.dockerHost !== undefined ? { dockerHost: flags.dockerHost } : {}),
            ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
          });
        } catch (err) {
          await manager.stop();
          throw err;
        }
      }
      deps.out.out(`manager listening on ${manager.info.addr} (node ${manager.info.nodeId})`);
      await runUntilSignal(async () => {
        await agent?.stop();
        await manager.stop();
      });
    });
}
