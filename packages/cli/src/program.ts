import { Command } from 'commander';
import { registerAgent } from './commands/agent.js';
import { registerCluster } from './commands/cluster.js';
import { registerEvents } from './commands/events.js';
import { registerInfo } from './commands/info.js';
import { registerJoinToken } from './commands/join-token.js';
import { registerManager } from './commands/manager.js';
import { registerNode } from './commands/node.js';
import { registerService } from './commands/service/index.js';
import { registerUp } from './commands/up.js';
import type { Deps } from './context.js';

export const VERSION = '0.1.0';

/** The whole command line: every group registered on one commander program that throws instead of exiting. */
export function buildProgram(deps: Deps): Command {
  const program = new Command('shoal')
    .description('A container orchestrator in the style of Docker Swarm mode')
    .version(VERSION, '-v, --version')
    .option('-H, --host <host>', 'Manager to talk to: unix:///path/control.sock or HOST:PORT (default $SHOAL_HOST, else ~/.shoal/control.sock)')
    .showHelpAfterError(false)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => deps.out.write(s),
      writeErr: (s) => { for (const l of s.replace(/\n$/, '').split('\n')) deps.out.err(l); },
      // An error is one line: commander puts its "(Did you mean …?)" on a second one.
      outputError: (s, write) => write(`${s.trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });
  registerUp(program, deps);
  registerManager(program, deps);
  registerAgent(program, deps);
  registerInfo(program, deps);
  registerJoinToken(program, deps);
  registerCluster(program, deps);
  registerNode(program, deps);
  registerService(program, deps);
  registerEvents(program, deps);
  // Every subcommand inherits: throw CommanderError instead of calling process.exit, so main decides the exit code.
  const exitOverride = (cmd: Command) => { cmd.exitOverride(); cmd.commands.forEach(exitOverride); };
  exitOverride(program);
  return program;
}
