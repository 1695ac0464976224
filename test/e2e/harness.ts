// Runs the built `shoal` binary as a user would: managers and agents as child processes on loopback
// addresses, against the real Docker engine. Everything started here is torn down by `cluster.destroy()`.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
export const SHOAL = join(import.meta.dirname, '../../packages/cli/bin/shoal.js');

export interface RunResult { code: number; stdout: string; stderr: string }

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('docker', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

interface Proc { name: string; child: ChildProcess; log: string[] }

export class TestCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'shoal-e2e-'));
  readonly procs = new Map<string, Proc>();
  managerAddr = '';
  private readonly nodeIds = new Set<string>();

  /** Starts `shoal manager` (optionally with an agent in the same process) and waits until it answers. */
  async startManager(opts: { heartbeat?: string; agent?: boolean; port?: number; extra?: string[] } = {}): Promise<void> {
    const port = opts.port ?? (await freePort());
    this.managerAddr = `127.0.0.1:${port}`;
    const args = ['manager', '--listen', this.managerAddr, '--data-dir', join(this.dir, 'manager'), '--hostname', 'manager-1'];
    if (opts.heartbeat) args.push('--dispatcher-heartbeat', opts.heartbeat);
    if (opts.agent) args.push('--agent');
    args.push(...(opts.extra ?? []));
    this.spawn('manager', args);
    await this.waitFor(async () => (await this.shoal('info')).code === 0, 15_000, 'manager to answer');
  }

  /** Starts `shoal agent` number i on 127.0.0.(i+1) and waits until its node is ready. */
  async startAgent(i: number, extra: string[] = []): Promise<string> {
    const token = (await this.ok('join-token', 'worker', '-q')).trim();
    const hostname = `node-${i}`;
    this.spawn(`agent-${i}`, ['agent', '--join', this.managerAddr, '--token', token, '--advertise', `127.0.0.${i + 1}`,
      '--data-dir', join(this.dir, `agent-${i}`), '--hostname', hostname, ...extra]);
    let id = '';
    await this.waitFor(async () => {
      const nodes = await this.nodes();
      const n = nodes.find((x) => x.Hostname === hostname && x.Status === 'Ready');
      id = n?.ID ?? '';
      return !!n;
    }, 20_000, `${hostname} to be ready`);
    const full = JSON.parse(await this.ok('node', 'inspect', hostname)) as Array<{ id: string }>;
    this.nodeIds.add(full[0]!.id);
    return full[0]!.id;
  }

  /** Restarts a stopped agent with its data dir kept. */
  restartAgent(i: number, token: string, extra: string[] = []): void {
    this.spawn(`agent-${i}`, ['agent', '--join', this.managerAddr, '--token', token, '--advertise', `127.0.0.${i + 1}`,
      '--data-dir', join(this.dir, `agent-${i}`), '--hostname', `node-${i}`, ...extra]);
  }

  restartManager(opts: { heartbeat?: string; agent?: boolean } = {}): void {
    const args = ['manager', '--listen', this.managerAddr, '--data-dir', join(this.dir, 'manager'), '--hostname', 'manager-1'];
    if (opts.agent) args.push('--agent');
    this.spawn('manager', args);
  }

  spawn(name: string, args: string[]): ChildProcess {
    const child = spawn(process.execPath, [SHOAL, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { SHOAL_LOG_LEVEL: 'info', ...process.env } });
    const log: string[] = [];
    child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    this.procs.set(name, { name, child, log });
    return child;
  }

  /** kill -9, as a crash would. */
  async kill(name: string): Promise<void> {
    const p = this.procs.get(name);
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGKILL');
    await exited;
  }

  /** Sends a signal (SIGTERM, SIGINT) and resolves with the exit code once the process has exited. */
  async signal(name: string, sig: NodeJS.Signals, timeoutMs = 30_000): Promise<number | null> {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no process ${name}`);
    if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
    const exited = new Promise<number | null>((r) => p.child.once('exit', (code) => r(code)));
    p.child.kill(sig);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name} did not exit within ${timeoutMs} ms of ${sig}\n${this.logs()}`)), timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the CLI against this cluster's manager. */
  shoal(...args: string[]): Promise<RunResult> {
    return run([...args], { SHOAL_HOST: this.managerAddr });
  }

  /** Runs the CLI and fails the test with its stderr unless it exits 0. */
  async ok(...args: string[]): Promise<string> {
    const r = await this.shoal(...args);
    if (r.code !== 0) throw new Error(`shoal ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  async nodes(): Promise<Array<Record<string, string>>> {
    const r = await this.shoal('node', 'ls', '--format', 'json');
    if (r.code !== 0) return [];
    return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
  }

  async tasks(service: string): Promise<Array<Record<string, string>>> {
    const out = await this.ok('service', 'ps', service, '--format', 'json', '--no-trunc');
    return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
  }

  /** Names of the running (or, with all, every) container of a service across this cluster's nodes. */
  async running(service: string, all = false): Promise<string[]> {
    const lists = await Promise.all([...this.nodeIds].map((id) => docker('ps', ...(all ? ['-a'] : []),
      '--filter', `label=shoal.node.id=${id}`, '--filter', `label=shoal.service.name=${service}`, '--format', '{{.Names}}')));
    return lists.flatMap((s) => s.split('\n').filter(Boolean));
  }

  trackNode(id: string): void { this.nodeIds.add(id); }

  async waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Checks repeatedly for durationMs that something stays true (e.g. that nothing restarts); fails at the first miss. */
  async holds(check: () => Promise<boolean>, durationMs: number, what: string): Promise<void> {
    const end = Date.now() + durationMs;
    while (Date.now() < end) {
      if (!(await check())) throw new Error(`${what} stopped holding after ${durationMs - (end - Date.now())} ms\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  logs(): string {
    return [...this.procs.values()].map((p) => `--- ${p.name}\n${p.log.join('').split('\n').slice(-30).join('\n')}`).join('\n');
  }

  /**
   * Removes every container of this cluster's nodes. An agent killed a moment ago may have left a removal in
   * progress, or finished it: both are fine, as long as no container is left at the end.
   */
  async removeContainers(): Promise<void> {
    const list = async () => (await Promise.all([...this.nodeIds].map((id) => docker('ps', '-aq', '--filter', `label=shoal.node.id=${id}`))))
      .flatMap((s) => s.split('\n').filter(Boolean));
    const end = Date.now() + 60_000;
    for (let containers = await list(); containers.length; containers = await list()) {
      if (Date.now() > end) throw new Error(`containers left behind: ${containers.join(' ')}`);
      // Errors are judged by the next listing: what matters is that nothing is left.
      await docker('rm', '-f', ...containers).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Kills every process, removes every container of this cluster's nodes and the temp dir. */
  async destroy(): Promise<void> {
    try {
      await Promise.all([...this.procs.keys()].map((n) => this.kill(n)));
      await this.removeContainers();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export function run(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SHOAL, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
