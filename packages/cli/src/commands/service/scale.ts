import { GrpcStatus, grpcCode, type Service } from '@shoal/api';
import type { Command } from 'commander';
import type { Control } from '../../client.js';
import { withControl, type Deps } from '../../context.js';
import { CliError } from '../../errors.js';
import { parseScaleArg } from '../../parse/scale.js';
import { waitForService } from './wait.js';

/** A version conflict means someone else changed the service meanwhile: read it again and retry this often. */
const CONFLICT_RETRIES = 3;

export function registerScale(service: Command, deps: Deps): void {
  service.command('scale')
    .description('Scale one or multiple replicated services')
    .argument('<service=replicas...>')
    .option('-d, --detach', 'Exit immediately instead of waiting for the services to converge')
    .action(async (args: string[], opts: { detach?: boolean }, cmd: Command) => {
      const targets = args.map(parseScaleArg);
      await withControl(cmd, deps, async (c) => {
        // Check every service before changing any, so a typo or a global service changes nothing.
        const services = await Promise.all(targets.map((t) => c.getService(t.service)));
        const global = services.find((s) => s.spec.mode === 'global');
        if (global) throw new CliError(`scale can only be used with replicated mode: ${global.spec.annotations.name} is global`);
        for (const [i, t] of targets.entries()) {
          await scaleOne(c, services[i]!, t.replicas);
          deps.out.out(`${t.service} scaled to ${t.replicas}`);
        }
        if (!opts.detach) {
          for (const s of services) await waitForService(c, deps, s.id);
        }
      });
    });
}

async function scaleOne(c: Control, service: Service, replicas: number): Promise<void> {
  let current = service;
  for (let attempt = 0; ; attempt++) {
    try {
      await c.updateService(current.id, current.meta.version, { ...current.spec, replicas });
      return;
    } catch (err) {
      if (grpcCode(err) !== GrpcStatus.ABORTED || attempt >= CONFLICT_RETRIES) throw err;
      current = await c.getService(current.id);
    }
  }
}
