import { createLogger } from '@shoal/api';
import type { Command } from 'commander';
import { collect, type Deps } from '../context.js';
import { parseAdvertise, parseEngineLabels, parseLogLevel, parseManagerListen, parseMeshListen } from '../daemon/flags.js';
import { startNodeDaemon } from '../daemon/node-daemon.js';
import { runUntilSignal } from '../daemon/run.js';
import { parseHostPort } from '../parse/host.js';

interface Flags {
  join: string;
  token: string;
  advertise: string;
  dataDir: string;
  dockerHost?: string;
  hostname?: string;
  label?: string[];
  managerListen?: string;
  meshListen?: string[];
  logLevel?: string;
}

export function registerAgent(program: Command, deps: Deps): void {
  program.command('agent')
    .description('Run an agent: join a cluster and run its tasks on the local Docker engine')
    .requiredOption('--join <host:port>', 'Address of a manager')
    .requiredOption('--token <token>', 'Worker join token (shoal join-token worker -q)')
    .requiredOption('--advertise <addr>', 'Address this node is known by and publishes ports on, e.g. 127.0.0.2')
    .requiredOption('--data-dir <dir>', 'Where the agent keeps its state')
    .option('--docker-host <url>', 'Docker engine (default: $DOCKER_HOST or the local socket)')
    .option('--hostname <name>', 'Hostname of this node')
    .option('--label <KEY=VALUE>', 'Engine label (repeatable)', collect)
    .option('--manager-listen <host:port>', 'Where this node\'s manager listens once the node is promoted (node promote)')
    .option('--mesh-listen <addr>', 'Another address the routing mesh listens on for published ports, besides --advertise (repeatable; 0.0.0.0 for all)', collect)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .action(async (flags: Flags) => {
      parseHostPort(flags.join, 'manager address', false);
      const advertise = parseAdvertise(flags.advertise);
      const labels = parseEngineLabels(flags.label ?? []);
      const level = parseLogLevel(flags.logLevel);
      const managerListen = flags.managerListen === undefined ? undefined : parseManagerListen(flags.managerListen);
      const meshListen = parseMeshListen(flags.meshListen ?? []);

      const daemon = await startNodeDaemon({
        join: flags.join, token: flags.token, advertise, meshListen, dataDir: flags.dataDir, labels,
        logger: createLogger('agent', level),
        ...(flags.dockerHost !== undefined ? { dockerHost: flags.dockerHost } : {}),
        ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
      }, {
        listen: managerListen, logger: createLogger('manager', level),
        ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
      });
      let nodeId: string;
      try {
        // Resolves once the manager accepted the join; a wrong token rejects it.
        nodeId = await daemon.agent.nodeId;
      } catch (err) {
        await daemon.stop();
        throw err;
      }
      deps.out.out(`agent joined ${flags.join} (node ${nodeId})`);
      await runUntilSignal(() => daemon.stop(), daemon.failed);
    });
}
