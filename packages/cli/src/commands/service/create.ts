import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '@shoal/api';
import type { Command } from 'commander';
import { collect, withControl, type Deps } from '../../context.js';
import { registryAuthFromConfig } from '../../parse/registry-auth.js';
import { buildServiceSpec, type CreateFlags } from '../../parse/service-spec.js';
import { healthOptions, rolloutOptions } from './spec-flags.js';
import { waitForService } from './wait.js';

interface Flags extends CreateFlags {
  detach?: boolean;
  withRegistryAuth?: boolean;
}

export function registerCreate(service: Command, deps: Deps): void {
  const create = service.command('create')
    .description('Create a new service')
    .argument('<image>')
    .argument('[command...]', 'command and arguments that replace the image\'s CMD')
    // Everything after IMAGE belongs to the container's command, as docker does (`... IMAGE sh -c "…"`).
    .passThroughOptions()
    .option('--name <name>', 'Service name')
    .option('--replicas <n>', 'Number of tasks (replicated mode, default 1)')
    .option('--mode <mode>', 'replicated or global', 'replicated')
    .option('-e, --env <KEY=VALUE>', 'Set an environment variable (repeatable)', collect)
    .option('-l, --label <KEY=VALUE>', 'Service label (repeatable)', collect)
    .option('--container-label <KEY=VALUE>', 'Container label (repeatable)', collect)
    .option('--constraint <expr>', 'Placement constraint, e.g. node.labels.zone==east (repeatable)', collect)
    .option('--reserve-cpu <cpus>', 'Reserve CPUs')
    .option('--reserve-memory <bytes>', 'Reserve memory (e.g. 512M)')
    .option('--limit-cpu <cpus>', 'Limit CPUs')
    .option('--limit-memory <bytes>', 'Limit memory (e.g. 1G)')
    .option('-p, --publish <port>', 'Publish a port on the routing mesh: 8080:80[/udp] or published=8080,target=80[,protocol=udp][,mode=host] (repeatable)', collect)
    .option('--mount <mount>', 'Attach a mount: type=bind|volume|tmpfs,source=…,target=…[,readonly] (repeatable)', collect)
    .option('--restart-condition <condition>', 'none, on-failure or any (default any)')
    .option('--restart-delay <duration>', 'Delay between restart attempts (default 5s)')
    .option('--restart-max-attempts <n>', 'Maximum number of restarts before giving up (default unlimited)')
    .option('--restart-window <duration>', 'Window used to evaluate the restart policy')
    .option('--hostname <hostname>', 'Container hostname')
    .option('-w, --workdir <dir>', 'Working directory inside the container')
    .option('-u, --user <user>', 'Username or UID (format: <name|uid>[:<group|gid>])')
    .option('--stop-grace-period <duration>', 'Time to wait before force killing a container (default 10s)');
  healthOptions(rolloutOptions(create))
    .option('--with-registry-auth', 'Send registry credentials from ~/.docker/config.json to the agents')
    .option('-d, --detach', 'Exit immediately instead of waiting for the service to converge')
    .action(async (image: string, args: string[], flags: Flags, cmd: Command) => {
      const registryAuth = flags.withRegistryAuth ? readRegistryAuth(deps.home, image) : undefined;
      const randomSuffix = newId().slice(0, 6);
      const spec = buildServiceSpec(flags, image, args, { env: deps.env, randomSuffix, ...(registryAuth ? { registryAuth } : {}) });
      await withControl(cmd, deps, async (c) => {
        const created = await c.createService(spec);
        deps.out.out(created.id);
        if (!flags.detach) await waitForService(c, deps, created.id);
      });
    });
}

/** The credentials ~/.docker/config.json holds for the image's registry, if any. */
export function readRegistryAuth(home: string, image: string) {
  let text: string;
  try {
    text = readFileSync(join(home, '.docker', 'config.json'), 'utf8');
  } catch {
    return undefined;
  }
  return registryAuthFromConfig(text, image);
}
