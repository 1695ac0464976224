// Child processes, ports and waiting for the benches that drive shoal and docker from the outside (bench/converge,
// bench/update). Every process started is recorded in the run's state (state.pids, saved at once by `save`), so its
// cleanup can end it after an interrupt.
import { execFile, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';

export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** run, must, daemon and stopDaemon over one run's state. */
export function processes(state, save) {
  /** Runs a command to completion; its pid is recorded while it runs so an interrupt can end it. */
  function run(cmd, args, env = {}) {
    return new Promise((resolveRun) => {
      const child = execFile(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
        state.pids = state.pids.filter((p) => p !== child.pid);
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolveRun({ code, stdout, stderr });
      });
      state.pids.push(child.pid);
      save();
    });
  }

  async function must(cmd, args, env) {
    const r = await run(cmd, args, env);
    if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  }

  /** A long-running node program (a shoal daemon), its output to a log file. */
  function daemon(bin, args, logFile) {
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', fd, fd] });
    state.pids.push(child.pid);
    save();
    return child;
  }

  async function stopDaemon(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
    state.pids = state.pids.filter((p) => p !== child.pid);
    save();
  }

  return { run, must, daemon, stopDaemon };
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
  });
}

/** Polls `check` every `every` ms until it returns something truthy, which it returns; fails after timeoutMs. */
export async function waitFor(what, check, timeoutMs, every) {
  const end = now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(every);
  }
}
