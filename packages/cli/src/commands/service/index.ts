import type { Command } from 'commander';
import type { Deps } from '../../context.js';
import { registerCreate } from './create.js';
import { registerInspect } from './inspect.js';
import { registerLogs } from './logs.js';
import { registerLs } from './ls.js';
import { registerPs } from './ps.js';
import { registerRm } from './rm.js';
import { registerRollback } from './rollback.js';
import { registerScale } from './scale.js';
import { registerUpdate } from './update.js';

export function registerService(program: Command, deps: Deps): void {
  // Positional options let `service create IMAGE CMD -x` hand "-x" to the container instead of parsing it.
  const service = program.command('service').description('Manage services').enablePositionalOptions();
  registerCreate(service, deps);
  registerLs(service, deps);
  registerPs(service, deps);
  registerInspect(service, deps);
  registerScale(service, deps);
  registerUpdate(service, deps);
  registerRollback(service, deps);
  registerRm(service, deps);
  registerLogs(service, deps);
}
