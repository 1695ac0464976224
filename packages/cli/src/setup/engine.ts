import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../errors.js';
import { DEFAULT_DOCKER_SOCKET, describeEngine, engineAddress, engineVersion, type EngineAddress } from './engine-api.js';
import { aptInstall, findExecutable, isRoot } from './system.js';

export interface EngineOptions {
  /** Where dockerd's log goes (DIR/dockerd.log) if it has to be started. */
  dataDir: string;
  /** DOCKER_HOST; only the local default socket is started here. */
  dockerHost?: string | undefined;
  say: (line: string) => void;
  /** How long a started dockerd may take to answer. */
  startTimeoutMs?: number;
}

export interface Engine {
  address: EngineAddress;
  version: string;
}

/**
 * Makes sure a Docker engine answers: as root, installs docker.io when dockerd is missing and starts dockerd
 * detached (logging to DIR/dockerd.log); otherwise says exactly what to run.
 */
export async function ensureEngine(opts: EngineOptions): Promise<Engine> {
  const address = engineAddress(opts.dockerHost);
  const running = await engineVersion(address);
  if (running) return { address, version: running };

  const where = describeEngine(address);
  if (!('socketPath' in address) || address.socketPath !== DEFAULT_DOCKER_SOCKET) {
    throw new CliError(`no Docker engine answers at ${where}: start it, or unset DOCKER_HOST to use the local one`);
  }
  if (!isRoot()) {
    throw new CliError(`no Docker engine answers at ${where}: as root run \`apt-get install -y docker.io && dockerd &\`, or run \`shoal up\` as root, which does both`);
  }
  if (!findExecutable('dockerd')) {
    opts.say('Installing Docker (apt-get install -y docker.io)...');
    await aptInstall(['docker.io']);
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const logPath = join(opts.dataDir, 'dockerd.log');
  opts.say(`Starting dockerd (log: ${logPath})...`);
  const log = openSync(logPath, 'a');
  try {
    // Detached and unreferenced: the engine outlives `shoal up`, as a system service would.
    spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
  } finally {
    closeSync(log);
  }
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const version = await engineVersion(address);
    if (version) return { address, version };
    await sleep(250);
  }
  throw new CliError(`dockerd did not answer at ${where} in time: see ${logPath}`);
}
