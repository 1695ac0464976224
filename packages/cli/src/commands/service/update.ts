import { GrpcStatus, grpcCode, type Service } from '@shoal/api';
import type { Command } from 'commander';
import type { Control } from '../../client.js';
import { collect, withControl, type Deps } from '../../context.js';
import { CliError } from '../../errors.js';
import { applyUpdateFlags, blankSpec, changedUpdateFlags, type UpdateContext, type UpdateFlags } from '../../parse/update-flags.js';
import { readRegistryAuth } from './create.js';
import { rollbackService } from './rollback.js';
import { healthOptions, rolloutOptions } from './spec-flags.js';
import { followRollout } from './wait.js';

/** A version conflict means someone else changed the service meanwhile: read it again and retry this often. */
const CONFLICT_RETRIES = 3;

interface Flags extends UpdateFlags {
  rollback?: boolean;
  detach?: boolean;
  quiet?: boolean;
  withRegistryAuth?: boolean;
}

export function registerUpdate(service: Command, deps: Deps): void {
  const update = service.command('update')
    .description('Update a service')
    .argument('<service>')
    .option('--image <image>', 'Service image tag')
    .option('--args <command>', 'Service command args, as one string split as a shell would ("sh -c \'echo hi\'")')
    .option('--env-add <KEY=VALUE>', 'Add or update an environment variable (repeatable)', collect)
    .option('--env-rm <KEY>', 'Remove an environment variable (repeatable)', collect)
    .option('--label-add <KEY=VALUE>', 'Add or update a service label (repeatable)', collect)
    .option('--label-rm <KEY>', 'Remove a label by its key (repeatable)', collect)
    .option('--container-label-add <KEY=VALUE>', 'Add or update a container label (repeatable)', collect)
    .option('--container-label-rm <KEY>', 'Remove a container label by its key (repeatable)', collect)
    .option('--constraint-add <expr>', 'Add or update a placement constraint (repeatable)', collect)
    .option('--constraint-rm <expr>', 'Remove a constraint (repeatable)', collect)
    .option('--publish-add <port>', 'Add or update a published port: 8080:80[/udp] or published=8080,target=80[,protocol=udp][,mode=host] (repeatable)', collect)
    .option('--publish-rm <port>', 'Remove a published port by its published port: 8080, 8080:80 or 8080/udp (repeatable)', collect)
    .option('--mount-add <mount>', 'Add or update a mount: type=bind|volume|tmpfs,source=…,target=…[,readonly] (repeatable)', collect)
    .option('--mount-rm <target>', 'Remove a mount by its target path (repeatable)', collect)
    .option('--reserve-cpu <cpus>', 'Reserve CPUs')
    .option('--reserve-memory <bytes>', 'Reserve memory (e.g. 512M)')
    .option('--limit-cpu <cpus>', 'Limit CPUs')
    .option('--limit-memory <bytes>', 'Limit memory (e.g. 1G)')
    .option('--replicas <n>', 'Number of tasks (replicated mode)')
    .option('--restart-condition <condition>', 'Restart when: none, on-failure or any')
    .option('--restart-delay <duration>', 'Delay between restart attempts')
    .option('--restart-max-attempts <n>', 'Maximum number of restarts before giving up (0: unlimited)')
    .option('--restart-window <duration>', 'Window used to evaluate the restart policy')
    .option('--stop-grace-period <duration>', 'Time to wait before force killing a container')
    .option('--hostname <hostname>', 'Container hostname')
    .option('-w, --workdir <dir>', 'Working directory inside the container')
    .option('-u, --user <user>', 'Username or UID (format: <name|uid>[:<group|gid>])');
  healthOptions(rolloutOptions(update))
    .option('--force', 'Force update even if no changes require it')
    .option('--rollback', 'Roll back to the previous specification (as `service rollback`)')
    .option('--with-registry-auth', 'Send registry credentials from ~/.docker/config.json to the agents')
    .option('-d, --detach', 'Exit immediately instead of waiting for the service to converge')
    .option('-q, --quiet', 'Suppress progress output')
    .action(async (ref: string, flags: Flags, cmd: Command) => {
      if (flags.rollback) {
        const others = changedUpdateFlags({ ...flags });
        if (others.length) throw new CliError(`--rollback cannot be combined with other flags (${others.join(', ')}); only -d and -q are allowed`);
        await withControl(cmd, deps, (c) => rollbackService(c, deps, ref, { detach: flags.detach === true, quiet: flags.quiet === true }));
        return;
      }
      applyUpdateFlags(blankSpec(), flags, { env: deps.env }); // every value checked before the manager is asked anything
      await withControl(cmd, deps, async (c) => {
        const updated = await updateService(c, ref, (current) => applyUpdateFlags(current.spec, flags, contextFor(deps, flags, current)));
        deps.out.out(ref);
        if (!flags.detach) await followRollout(c, deps, updated, 'update', ref, flags.quiet === true);
      });
    });
}

function contextFor(deps: Deps, flags: Flags, current: Service): UpdateContext {
  if (!flags.withRegistryAuth) return { env: deps.env };
  const registryAuth = readRegistryAuth(deps.home, flags.image ?? current.spec.task.container.image);
  return registryAuth ? { env: deps.env, registryAuth } : { env: deps.env };
}

/**
 * Reads the service, applies the change and writes it with the version read; on a version conflict reads it again
 * and reapplies the change. Every flag is checked on the first read, before anything is written.
 */
export async function updateService(c: Pick<Control, 'getService' | 'updateService'>, ref: string, change: (current: Service) => Service['spec']): Promise<Service> {
  const notFound = (err: unknown) => (grpcCode(err) === GrpcStatus.NOT_FOUND ? new CliError(`no such service: ${ref}`) : err);
  for (let attempt = 0; ; attempt++) {
    const current = await c.getService(ref).catch((err: unknown) => { throw notFound(err); });
    const spec = change(current);
    try {
      return await c.updateService(current.id, current.meta.version, spec);
    } catch (err) {
      if (grpcCode(err) !== GrpcStatus.ABORTED || attempt >= CONFLICT_RETRIES) throw notFound(err);
    }
  }
}
