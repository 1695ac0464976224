// A private image registry for the tests that pull: Debian's docker-registry (installed when missing, as root) on a
// loopback port with a temp storage dir, and a gate in front of it that can hold pulls back for a while.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness.js';
import { aptInstall, isRoot } from '../../packages/cli/src/setup/system.js';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

/** Installs Debian's docker-registry unless it is there; says exactly what to do when it cannot. */
export async function ensureRegistryBinary(): Promise<void> {
  if (existsSync(REGISTRY_BIN)) return;
  if (!isRoot()) throw new Error(`${REGISTRY_BIN} is missing: as root run \`apt-get install -y docker-registry\``);
  await aptInstall(['docker-registry']);
  if (!existsSync(REGISTRY_BIN)) throw new Error(`apt-get install docker-registry did not provide ${REGISTRY_BIN}`);
}

export class Registry {
  private constructor(readonly addr: string, private readonly child: ChildProcess, private readonly dir: string, private readonly log: string[]) {}

  /** Starts a registry on 127.0.0.1:<free port> (loopback registries are insecure-allowed by Docker) and waits until it answers. */
  static async start(): Promise<Registry> {
    await ensureRegistryBinary();
    const dir = mkdtempSync(join(tmpdir(), 'shoal-registry-'));
    const addr = `127.0.0.1:${await freePort()}`;
    const config = join(dir, 'config.yml');
    writeFileSync(config, [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${addr}`,
      '',
    ].join('\n'));
    const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    const registry = new Registry(addr, child, dir, log);
    const end = Date.now() + 15_000;
    for (;;) {
      try {
        if ((await fetch(`http://${addr}/v2/`, { signal: AbortSignal.timeout(1_000) })).status === 200) return registry;
      } catch { /* not listening yet */ }
      if (child.exitCode !== null || Date.now() > end) {
        await registry.stop();
        throw new Error(`docker-registry did not start on ${addr}:\n${log.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A TCP proxy to a registry that can hold new connections back (accepted, but nothing forwarded) until released,
 * so a pull stays under way for as long as a test needs to look at it.
 */
export class RegistryGate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private held: Array<() => void> | undefined;

  private constructor(readonly port: number, private readonly target: string) {}

  get addr(): string { return `127.0.0.1:${this.port}`; }

  static async open(target: string): Promise<RegistryGate> {
    const gate = new RegistryGate(await freePort(), target);
    const [host, port] = target.split(':');
    gate.server = createServer((client) => {
      gate.track(client);
      const forward = () => {
        if (client.destroyed) return;
        const upstream = connect(Number(port), host);
        gate.track(upstream);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      };
      client.pause(); // what the client sends waits, buffered, until the connection is forwarded
      if (gate.held) gate.held.push(forward); else forward();
    });
    await new Promise<void>((resolve, reject) => {
      gate.server!.once('error', reject);
      gate.server!.listen(gate.port, '127.0.0.1', () => resolve());
    });
    return gate;
  }

  /** New connections wait until release(). */
  hold(): void { this.held ??= []; }

  release(): void {
    const waiting = this.held ?? [];
    this.held = undefined;
    for (const forward of waiting) forward();
  }

  async close(): Promise<void> {
    this.held = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => s.destroy());
  }
}
