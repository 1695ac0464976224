import { CommanderError } from 'commander';
import type { Deps } from './context.js';
import { errorLine, FailedExit } from './errors.js';
import { resolveHost } from './parse/host.js';
import { buildProgram } from './program.js';

/** Runs one command line; resolves to the exit code. Every error becomes one line on stderr. */
export async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const program = buildProgram(deps);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    // Commander (or the command, for FailedExit) has printed its own message already.
    if (err instanceof CommanderError || err instanceof FailedExit) return err.exitCode;
    deps.out.err(errorLine(err, resolveHost(program.opts<{ host?: string }>().host, deps.env, deps.home)));
    return 1;
  }
}
