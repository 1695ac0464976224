// A stopping task with ingress ports drains: a moment for every mesh to drop it, then until its container has no
// established connection on its ingress ports (read from /proc/<pid>/net/tcp{,6}), at most its grace period.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, type PortConfig, type Task, type TaskStatus } from '@shoal/api';
import { establishedConnections, establishedOn } from '../../packages/agent/src/docker/connections.js';
import { procVisible } from '../../packages/agent/src/docker/controller.js';
import { DRAIN_POLL_MS, MESH_SETTLE_MS, TaskRunner } from '../../packages/agent/src/exec/runner.js';
import { FakeController } from './fake-controller.js';
import { makeTask, settle, silentLogger } from './helpers.js';

// Sockets of a container listening on :80 (0x0050) and :53: two connections established on :80 (one from the host's
// proxy, one over IPv4-mapped IPv6), one closing (06 TIME_WAIT), one outgoing to a remote :80 (its local port is not
// 80), the listener (0A).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0
   1: 020011AC:0050 010011AC:B5E2 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 20 4 30 10 -1
   2: 020011AC:0050 010011AC:B5E4 06 00000000:00000000 03:00000D8C 00000000     0        0 0 3 0000000000000000
   3: 020011AC:C350 08080808:0050 01 00000000:00000000 00:00000000 00000000     0        0 1004 1 0000000000000000 20 4 30 10 -1
   4: 020011AC:0035 010011AC:B5E6 01 00000000:00000000 00:00000000 00000000     0        0 1005 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF0000020011AC:0050 0000000000000000FFFF0000010011AC:B5F0 01 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 20 4 30 10 -1
`;

describe('established connections from /proc/<pid>/net/tcp', () => {
  it.each([
    [TCP, [80], 1],
    [TCP, [80, 53], 2],
    [TCP, [53], 1],
    [TCP, [8080], 0],
    [TCP6, [80], 1],
    ['', [80], 0],
    ['garbage\n\n  1: nonsense\n', [80], 0],
  ])('%#: counts state 01 on the local ports', (text, ports, want) => {
    expect(establishedOn(text, new Set(ports))).toBe(want);
  });

  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); dir = ''; });

  it('reads tcp and tcp6 of the pid, and 0 when they cannot be read', async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoal-proc-'));
    await mkdir(join(dir, '42', 'net'), { recursive: true });
    await writeFile(join(dir, '42', 'net', 'tcp'), TCP);
    await writeFile(join(dir, '42', 'net', 'tcp6'), TCP6);
    expect(await establishedConnections(42, new Set([80]), dir)).toBe(2);
    expect(await establishedConnections(43, new Set([80]), dir)).toBe(0);
    expect(await establishedConnections(0, new Set([80]), dir)).toBe(0);
    expect(await establishedConnections(42, new Set(), dir)).toBe(0);
  });

  it('trusts the pids of a local engine only', () => {
    expect(procVisible('unix:///var/run/docker.sock')).toBe(true);
    expect(procVisible('/var/run/docker.sock')).toBe(true);
    expect(procVisible('tcp://127.0.0.1:2375')).toBe(true);
    expect(procVisible('tcp://localhost:2375')).toBe(true);
    expect(procVisible('tcp://10.0.0.5:2375')).toBe(false);
    expect(procVisible('docker.example.com:2375')).toBe(false);
  });
});

const ingress: PortConfig = { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' };
const host: PortConfig = { ...ingress, publishMode: 'host' };

function running(task: Task, open: number[]) {
  const clock = new FakeClock();
  const controller = new FakeController();
  controller.container = { containerId: 'c1', running: true, started: true, startedAt: 1, pid: 42, exitCode: 0, ports: [], health: '' };
  controller.openConnections = open;
  const reported: TaskStatus[] = [];
  const runner = new TaskRunner({
    task, controller, clock, logger: silentLogger, report: (s) => reported.push(s), awaitEngine: () => new Promise(() => undefined), mayStart: () => true, stopped: () => undefined,
    status: { timestamp: 0, state: 'RUNNING', message: '', err: '', container: { containerId: 'c1', pid: 42, exitCode: 0, startedAt: 1 }, ports: [] },
  });
  const stopped = () => controller.calls.some((c) => c.startsWith('shutdown'));
  return { clock, controller, reported, runner, stopped };
}

describe('draining a stopping task', () => {
  it('waits for the meshes to drop it, then stops once no connection is open', async () => {
    const task = makeTask({ endpoint: { ports: [ingress] }, graceMs: 5_000 });
    const h = running(task, [2, 1, 0]);
    h.runner.start();
    await settle();
    h.runner.update({ ...task, desiredState: 'SHUTDOWN' });
    await settle();
    expect(h.controller.calls).not.toContain('connections'); // the settle moment first
    h.clock.advance(MESH_SETTLE_MS);
    await settle();
    expect(h.controller.calls.filter((c) => c === 'connections')).toHaveLength(1);
    expect(h.stopped()).toBe(false);
    h.clock.advance(DRAIN_POLL_MS);
    await settle();
    expect(h.stopped()).toBe(false);
    h.clock.advance(DRAIN_POLL_MS);
    await settle(10);
    expect(h.controller.calls.filter((c) => c === 'connections')).toHaveLength(3);
    expect(h.controller.calls).toContain('shutdown(5000)');
    expect(h.reported.at(-1)!.state).toBe('SHUTDOWN');
    await h.runner.close();
  });

  it('stops after the grace period with connections still open', async () => {
    const task = makeTask({ endpoint: { ports: [ingress] }, graceMs: 1_000 });
    const h = running(task, [1]);
    h.runner.start();
    await settle();
    h.runner.update({ ...task, desiredState: 'SHUTDOWN' });
    await settle();
    for (let t = 0; t < 900; t += 100) {
      h.clock.advance(100);
      await settle();
      expect(h.stopped()).toBe(false);
    }
    h.clock.advance(100);
    await settle(10);
    expect(h.controller.calls).toContain('shutdown(1000)');
    await h.runner.close();
  });

  it('drains a task removed from the node as well', async () => {
    const task = makeTask({ endpoint: { ports: [ingress] } });
    const h = running(task, [0]);
    h.runner.start();
    await settle();
    const removed = h.runner.remove();
    await settle();
    expect(h.stopped()).toBe(false);
    h.clock.advance(MESH_SETTLE_MS);
    await removed;
    expect(h.controller.calls.slice(-3)).toEqual(['connections', 'shutdown(10000)', 'remove']);
  });

  it.each([
    ['a task without ingress ports', makeTask({ endpoint: { ports: [host] } })],
    ['a task without ports', makeTask()],
  ])('stops %s at once', async (_, task) => {
    const h = running(task, [3]);
    h.runner.start();
    await settle();
    h.runner.update({ ...task, desiredState: 'SHUTDOWN' });
    await settle(10);
    expect(h.controller.calls).not.toContain('connections');
    expect(h.stopped()).toBe(true);
    await h.runner.close();
  });

  it('does not drain a task that never ran (it was in no table)', async () => {
    const task = makeTask({ endpoint: { ports: [ingress] }, desiredState: 'SHUTDOWN' });
    const h = running(task, [3]);
    const runner = new TaskRunner({
      task, controller: h.controller, clock: h.clock, logger: silentLogger, report: () => undefined, awaitEngine: () => new Promise(() => undefined), mayStart: () => true, stopped: () => undefined,
      status: { timestamp: 0, state: 'STARTING', message: '', err: '', container: { containerId: 'c1', pid: 42, exitCode: 0, startedAt: 0 }, ports: [] },
    });
    runner.start();
    await settle(10);
    expect(h.controller.calls).not.toContain('connections');
    expect(h.stopped()).toBe(true);
    await runner.close();
  });

  it('closing the runner ends a drain at once, leaving the container running', async () => {
    const task = makeTask({ endpoint: { ports: [ingress] } });
    const h = running(task, [5]);
    h.runner.start();
    await settle();
    h.runner.update({ ...task, desiredState: 'SHUTDOWN' });
    await settle();
    await h.runner.close();
    expect(h.controller.container?.running).toBe(true);
  });
});
