import type { Command } from 'commander';
import { Control } from './client.js';
import type { Output } from './output.js';
import { grpcTarget, resolveHost } from './parse/host.js';

/** What commands get from outside, so tests can give their own. */
export interface Deps {
  out: Output;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  now: () => number;
}

/** The manager a command talks to: --host (given anywhere on the line), $SHOAL_HOST, or the local default. */
export function hostOf(cmd: Command, deps: Deps): string {
  const flag = cmd.optsWithGlobals<{ host?: string }>().host;
  return resolveHost(flag, deps.env, deps.home);
}

/** Runs fn with a control client for the command's manager and closes it afterwards. */
export async function withControl<T>(cmd: Command, deps: Deps, fn: (control: Control) => Promise<T>): Promise<T> {
  const host = hostOf(cmd, deps);
  grpcTarget(host); // a malformed --host is a usage error, reported before anything else
  const control = new Control(host);
  try {
    return await fn(control);
  } finally {
    control.close();
  }
}

/** Collects a repeatable flag's values, for commander (no default, so help shows none). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
