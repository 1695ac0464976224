import { CommanderError } from 'commander';
import { homedir } from 'node:os';
import { resolveHost } from './parse/host.js';
import { stdio } from './output.js';
import { errorLine } from './errors.js';
import { buildProgram } from './program.js';
import type { Deps } from './context.js';

/** Runs one command line; resolves to the exit code. Errors become one line on stderr. */
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

const deps: Deps = { out: stdio, env: process.env, home: homedir(), now: () => Date.now() };
// Exit explicitly: gRPC channels and timers must not keep a finished command alive.
run(process.argv.slice(2), deps).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
