import { CommanderError } from 'commander';
import type { Deps } from './context.js';
import { errorLine } from './errors.js';
import { resolveHost } from './parse/host.js';
import { buildProgram } from './program.js';

/** Runs one command line; resolves to the exit code. Every error becomes one line on stderr. */
export async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const program = buildProgram(deps);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    // Commander has printed its own one-line message (or the help) already.
    if (err instanceof CommanderError) return err.exitCode;
    deps.out.err(errorLine(err, resolveHost(program.opts<{ host?: string }>().host, deps.env, deps.home)));
    return 1;
  }
}
