import { createLogger, GrpcStatus, grpcCode } from '@shoal/api';
import type { Command } from 'commander';
import { join } from 'node:path';
import { Control } from '../client.js';
import type { Deps } from '../context.js';
import { advertiseHostOf, parseLogLevel } from '../daemon/flags.js';
import { runUntilSignal } from '../daemon/run.js';
import { startEmbedded } from '../daemon/embedded.js';
import { controlSocketHost, defaultDataDir, parseHostPort } from '../parse/host.js';
import { parsePort } from '../parse/numbers.js';
import { buildServiceSpec } from '../parse/service-spec.js';
import { DEMO_IMAGE, ensureDemoImage } from '../setup/demo-image.js';
import { describeEngine } from '../setup/engine-api.js';
import { ensureEngine } from '../setup/engine.js';

export const DEMO_SERVICE = 'demo';
export const DEMO_REPLICAS = 3;
/**
 * The demo's command: the image's (httpd under a shell that exits on SIGTERM), each replica first adding which
 * container answers to its page, so requests through the mesh show the replicas taking turns.
 */
export const DEMO_ARGS = ['/bin/sh', '-c',
  "echo \"<p>Answered by container $(/bin/busybox cat /etc/hostname).</p>\" >> /www/index.html; trap 'exit 0' TERM; /bin/busybox httpd -f -p 80 -h /www & wait"];

interface Flags {
  dataDir: string;
  listen: string;
  demo: boolean;
  demoPort: string;
  logLevel?: string;
}

export function registerUp(program: Command, deps: Deps): void {
  program.command('up')
    .description('Run a one-host cluster (manager and agent) in the foreground, with a demo service')
    .option('--data-dir <dir>', 'Where the cluster keeps its state', defaultDataDir(deps.home))
    .option('--listen <host:port>', 'Address of the cluster port', '127.0.0.1:4242')
    .option('--no-demo', 'Do not create the demo service')
    .option('--demo-port <port>', 'Port the demo service is published on through the routing mesh', '8080')
    .option('--log-level <level>', 'Daemon log level on stderr (default warn)')
    .action(async (flags: Flags) => {
      const listen = parseHostPort(flags.listen, 'listen address', true);
      const demoPort = parsePort(flags.demoPort, 'demo port');
      const level = parseLogLevel(flags.logLevel) ?? parseLogLevel(deps.env.SHOAL_LOG_LEVEL) ?? 'warn';
      const say = (line: string) => deps.out.out(line);

      const engine = await ensureEngine({ dataDir: flags.dataDir, dockerHost: deps.env.DOCKER_HOST, say });
      say(`Docker engine ${engine.version} at ${describeEngine(engine.address)}`);
      if (flags.demo) await ensureDemoImage(engine.address, say);

      const { manager, stop } = await startEmbedded(
        { listen: flags.listen, dataDir: flags.dataDir, logger: createLogger('manager', level) },
        {
          advertise: advertiseHostOf(listen.host),
          dataDir: join(flags.dataDir, 'agent'),
          logger: createLogger('agent', level),
          ...(deps.env.DOCKER_HOST ? { dockerHost: deps.env.DOCKER_HOST } : {}),
        },
      );
      try {
        if (flags.demo) await ensureDemoService(`unix://${manager.info.controlSocket}`, demoPort, deps);
      } catch (err) {
        await stop();
        throw err;
      }

      const host = `unix://${manager.info.controlSocket}`;
      say(`shoal is up: manager on ${manager.info.addr}, node ${manager.info.nodeId}`);
      if (flags.demo) {
        say(`The demo service "${DEMO_SERVICE}" (${DEMO_REPLICAS} replicas behind the routing mesh) answers on port ${demoPort}: curl http://${advertiseHostOf(listen.host)}:${demoPort}/`);
      }
      if (host !== controlSocketHost(defaultDataDir(deps.home))) say(`From another terminal, first: export SHOAL_HOST=${host}`);
      say(`Try: shoal service ls · shoal service ps ${DEMO_SERVICE} · shoal service logs ${DEMO_SERVICE} · shoal node ls`);
      say('Press Ctrl-C to stop; services stay defined and resume at the next `shoal up`.');
      await runUntilSignal(stop, manager.failed);
    });
}

/**
 * Creates the demo service unless a service of that name exists (a restarted `up` keeps the user's changes):
 * DEMO_REPLICAS replicas published on the routing mesh (ingress), which spreads the connections over them.
 */
async function ensureDemoService(host: string, port: number, deps: Deps): Promise<void> {
  const control = new Control(host);
  try {
    try {
      await control.getService(DEMO_SERVICE);
      return;
    } catch (err) {
      if (grpcCode(err) !== GrpcStatus.NOT_FOUND) throw err;
    }
    const spec = buildServiceSpec(
      { name: DEMO_SERVICE, replicas: String(DEMO_REPLICAS), publish: [`published=${port},target=80`] },
      DEMO_IMAGE, DEMO_ARGS, { env: deps.env, randomSuffix: '' });
    await control.createService(spec);
  } finally {
    control.close();
  }
}
