import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The path of an executable found on PATH, or undefined. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* not in this directory */ }
  }
  return undefined;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs a command with its output on our stderr (stdout stays for what the user asked for); resolves to its exit code. */
export function runToStderr(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** apt-get install -y PACKAGES, refreshing the package lists once if the first attempt fails. */
export async function aptInstall(packages: readonly string[]): Promise<void> {
  if (await runToStderr('apt-get', ['install', '-y', ...packages]) === 0) return;
  if (await runToStderr('apt-get', ['update']) === 0 && await runToStderr('apt-get', ['install', '-y', ...packages]) === 0) return;
  throw new Error(`apt-get install -y ${packages.join(' ')} failed (its output is above)`);
}
