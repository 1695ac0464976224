// Highly available managers as an operator runs them: three `shoal manager` processes joined with the manager token,
// two agents, and the things that go wrong — the leader killed mid-stream, a manager far behind, quorum lost and
// found again, demote/promote/rm, and --force-new-cluster.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, freePort, run, type RunResult } from './harness.js';
import { TEST_IMAGE } from './images.js';

interface InfoJson {
  nodeId: string;
  addr: string;
  isLeader: boolean;
  leaderAddr: string;
  services: number;
  managers: Array<{ nodeId: string; addr: string; leader: boolean; reachability: string }>;
  raft: { tickMs: number; heartbeatTicks: number; electionTicks: number };
}

describe('three managers', () => {
  const c = new TestCluster();
  const addrs: string[] = [];
  let managerToken = '';

  const managerArgs = (i: number) => ['manager', '--listen', addrs[i]!, '--data-dir', join(c.dir, `manager-${i}`),
    '--hostname', `manager-${i}`, '--dispatcher-heartbeat', '1s', '--snapshot-interval', '50'];
  const startManager = (i: number, extra: string[] = []) => c.spawn(`manager-${i}`, [...managerArgs(i), ...extra]);
  const at = (i: number, ...args: string[]): Promise<RunResult> => run(args, { SHOAL_HOST: addrs[i]! });
  /** Runs the CLI against manager i and fails with its stderr and the processes' logs unless it exits 0. */
  const atOk = async (i: number, ...args: string[]): Promise<string> => {
    const r = await at(i, ...args);
    if (r.code !== 0) throw new Error(`shoal ${args.join(' ')} via manager-${i} exited ${r.code}: ${r.stderr}\n${c.logs()}`);
    return r.stdout;
  };
  const info = async (i: number): Promise<InfoJson | undefined> => {
    const r = await at(i, 'info', '--format', 'json');
    return r.code === 0 ? JSON.parse(r.stdout) as InfoJson : undefined;
  };
  const leaderIndex = async (): Promise<number> => {
    for (let i = 0; i < 3; i++) {
      const inf = await info(i);
      if (inf?.leaderAddr) return addrs.indexOf(inf.leaderAddr);
    }
    return -1;
  };
  const managerStatus = async (via: number): Promise<Record<string, string>> => {
    const r = await at(via, 'node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}');
    if (r.code !== 0) return {};
    return Object.fromEntries(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')).map(([h, s]) => [h!, s ?? '']));
  };

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) addrs.push(`127.0.0.1:${await freePort()}`);
    // The founder chooses the cluster's Raft timing; the others learn it when they join.
    startManager(0, ['--raft-election-ticks', '8']);
    c.managerAddr = addrs[0]!;
    await c.waitFor(async () => (await c.shoal('info')).code === 0, 15_000, 'the first manager');
    managerToken = (await c.ok('join-token', 'manager', '-q')).trim();
    // The third joins through the second: any manager's address works.
    startManager(1, ['--join', addrs[0]!, '--token', managerToken]);
    await c.waitFor(async () => (await info(1))?.leaderAddr === addrs[0], 20_000, 'manager-1 to join');
    startManager(2, ['--join', addrs[1]!, '--token', managerToken]);
    await c.waitFor(async () => (await info(2))?.leaderAddr === addrs[0], 20_000, 'manager-2 to join');
    await c.startAgent(1);
    await c.startAgent(2);
  }, 120_000);
  afterAll(() => c.destroy(), 120_000);

  it('shows every manager: MANAGER STATUS in node ls and reachability in info, from any manager', async () => {
    await c.waitFor(async () => {
      const s = await managerStatus(2);
      return s['manager-0'] === 'Leader' && s['manager-1'] === 'Reachable' && s['manager-2'] === 'Reachable' && s['node-1'] === '';
    }, 15_000, 'manager status of all three');
    const inf = (await info(1))!;
    expect(inf.isLeader).toBe(false);
    expect(inf.leaderAddr).toBe(addrs[0]);
    expect(inf.managers.map((m) => [m.addr, m.leader, m.reachability]).sort()).toEqual([
      [addrs[0], true, 'reachable'], [addrs[1], false, 'reachable'], [addrs[2], false, 'reachable'],
    ].sort());
    for (const i of [1, 2]) expect((await info(i))!.raft).toEqual({ tickMs: 100, heartbeatTicks: 1, electionTicks: 8 });
    const text = (await at(1, 'info')).stdout;
    expect(text).toContain('Is leader:          no');
    expect(text).toContain(`Leader address:     ${addrs[0]}`);
  });

  it('serves every control call through a follower: writes, reads and the logs stream', async () => {
    const greet = "trap 'exit 0' TERM; echo hello through a follower; sleep 1000 & wait";
    await atOk(2, 'service', 'create', '--name', 'greet', '-d', TEST_IMAGE, '/bin/sh', '-c', greet);
    await c.waitFor(async () => (await c.running('greet')).length === 1, 60_000, 'greet to run');
    expect((await atOk(1, 'service', 'ls', '--format', '{{.Name}}')).split('\n')).toContain('greet');
    await c.waitFor(async () => (await at(1, 'service', 'logs', 'greet')).stdout.includes('hello through a follower'), 15_000, 'the logs through a follower');
    await atOk(2, 'service', 'rm', 'greet');
    await c.waitFor(async () => (await c.running('greet', true)).length === 0, 30_000, 'greet removed');
  }, 120_000);

  it('refuses a bad join with one line, changing nothing', async () => {
    const worker = (await c.ok('join-token', 'worker', '-q')).trim();
    const port = await freePort();
    const r = await run(['manager', '--listen', `127.0.0.1:${port}`, '--data-dir', join(c.dir, 'bad'), '--join', addrs[1]!, '--token', worker]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Error: cannot join the cluster through 127\.0\.0\.1:\d+: that is the worker join token: a manager joins with the manager token \(shoal join-token manager\)$/);
    const noToken = await run(['manager', '--listen', `127.0.0.1:${port}`, '--data-dir', join(c.dir, 'bad'), '--join', addrs[1]!]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr.trim()).toBe('Error: --join and --token go together: --join <MANAGER:PORT> --token <MANAGER TOKEN>');
    expect((await info(0))!.managers).toHaveLength(3);
  });

  it('keeps every acknowledged creation, exactly once, when the leader is killed mid-stream; tasks keep running', async () => {
    await c.ok('service', 'create', '--name', 'steady', '--replicas', '2', '-d', TEST_IMAGE);
    await c.waitFor(async () => (await c.running('steady')).length === 2, 60_000, 'steady to run');
    const containersBefore = (await c.running('steady')).sort();

    const leader = await leaderIndex();
    const via = (leader + 1) % 3;
    const acked: string[] = [];
    const stream = (async () => {
      for (let i = 0; i < 40; i++) {
        const name = `s${i}`;
        // A creation whose answer was lost may or may not exist; only acknowledged ones are counted.
        const r = await at(via, 'service', 'create', '--name', name, '--replicas', '0', '-d', TEST_IMAGE);
        if (r.code === 0) acked.push(name);
      }
    })();
    await c.waitFor(async () => acked.length >= 5, 30_000, 'the first creations');
    await c.kill(`manager-${leader}`);
    await stream;
    expect(acked.length).toBeGreaterThan(20);

    const others = [0, 1, 2].filter((i) => i !== leader);
    await c.waitFor(async () => (await leaderIndex()) >= 0 && others.includes(await leaderIndex()), 10_000, 'a new leader');
    const names = (await at(via, 'service', 'ls', '--format', '{{.Name}}')).stdout.split('\n').filter(Boolean);
    for (const n of acked) expect(names.filter((x) => x === n)).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);

    // The agents followed the new leader by themselves; no task restarted because of the leader change.
    c.managerAddr = addrs[via]!;
    await c.waitFor(async () => (await c.nodes()).filter((n) => n.Hostname?.startsWith('node-') && n.Status === 'Ready').length === 2, 30_000, 'agents on the new leader');
    expect((await c.running('steady')).sort()).toEqual(containersBefore);
    // A write needs the leader to see a quorum: itself and the other survivor reachable.
    await c.waitFor(async () => Object.values(await managerStatus(via)).filter((s) => s === 'Reachable').length === 1, 15_000, 'the two survivors to see each other');
    await c.ok('service', 'create', '--name', 'after', '-d', TEST_IMAGE);
    await c.waitFor(async () => (await c.running('after')).length === 1, 60_000, 'a service created after the failover to run');
    expect((await c.running('steady')).sort()).toEqual(containersBefore);

    // The killed manager comes back far behind (snapshots every 50 entries) and catches up from a snapshot.
    for (let i = 0; i < 30; i++) await c.ok('service', 'create', '--name', `pad${i}`, '--replicas', '0', '-d', TEST_IMAGE);
    const services = (await info(via))!.services;
    startManager(leader);
    await c.waitFor(async () => (await info(leader))?.services === services, 30_000, 'the restarted manager to catch up');
    expect(c.procs.get(`manager-${leader}`)!.log.join('')).toContain('store restored from a snapshot');
    await c.waitFor(async () => Object.values(await managerStatus(via)).filter((s) => s === 'Reachable').length === 2, 15_000, 'all three reachable again');
  }, 240_000);

  it('fails writes with the no-quorum error when 2 of 3 are down, and works again when one is back', async () => {
    const leader = await leaderIndex();
    const [a, b] = [0, 1, 2].filter((i) => i !== leader) as [number, number];
    await c.signal(`manager-${a}`, 'SIGTERM');
    await c.signal(`manager-${leader}`, 'SIGTERM');
    const started = Date.now();
    let last: RunResult | undefined;
    await c.waitFor(async () => {
      last = await at(b, 'service', 'create', '--name', 'lost', '-d', TEST_IMAGE);
      return last.code !== 0 && /no quorum: 1 of 3 managers reachable/.test(last.stderr);
    }, 10_000, 'the no-quorum error');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(last!.stderr.trim()).toBe('Error: no quorum: 1 of 3 managers reachable');

    startManager(a);
    await c.waitFor(async () => (await at(b, 'service', 'create', '--name', 'back', '-d', TEST_IMAGE)).code === 0, 20_000, 'writes with 2 of 3');
    startManager(leader);
    await c.waitFor(async () => Object.values(await managerStatus(b)).filter((s) => s === 'Reachable' || s === 'Leader').length === 3, 20_000, 'all three back');
  }, 120_000);

  it('demotes, refuses a demotion that would lose quorum, promotes, and removes a demoted manager', async () => {
    const leader = await leaderIndex();
    const via = leader;
    const [a, b] = [0, 1, 2].filter((i) => i !== leader) as [number, number];
    const rm = await at(via, 'node', 'rm', `manager-${a}`);
    expect(rm.code).toBe(1);
    expect(rm.stderr.trim()).toBe(`Error: node manager-${a} is a manager: demote it before removing it`);

    // With b stopped, demoting a would leave the leader and an unreachable b: no quorum.
    await c.signal(`manager-${b}`, 'SIGTERM');
    await c.waitFor(async () => (await managerStatus(via))[`manager-${b}`] === 'Unreachable', 15_000, `manager-${b} unreachable`);
    const refused = await at(via, 'node', 'demote', `manager-${a}`);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`Error: removing manager manager-${a} would lose quorum: 1 of the 2 managers left are reachable, 2 are needed`);
    expect((await managerStatus(via))[`manager-${a}`]).toBe('Reachable');
    startManager(b);
    await c.waitFor(async () => (await managerStatus(via))[`manager-${b}`] === 'Reachable', 20_000, `manager-${b} back`);

    expect((await at(via, 'node', 'demote', `manager-${a}`)).stdout.trim()).toBe(`Manager manager-${a} demoted in the cluster.`);
    await c.waitFor(async () => (await info(via))!.managers.length === 2, 15_000, 'two voters');
    expect((await managerStatus(via))[`manager-${a}`]).toBe('');
    expect((await at(via, 'node', 'promote', `manager-${a}`)).stdout.trim()).toBe(`Node manager-${a} promoted to a manager in the cluster.`);
    await c.waitFor(async () => (await managerStatus(via))[`manager-${a}`] === 'Reachable', 15_000, `manager-${a} a voter again`);
    expect((await at(via, 'node', 'promote', 'node-1')).stderr.trim()).toBe('Error: node node-1 runs no manager: restart its agent with --manager-listen HOST:PORT, or start a manager there with shoal manager --join <MANAGER> --token <MANAGER TOKEN>');

    await c.ok('node', 'demote', `manager-${a}`);
    await c.waitFor(async () => (await info(via))!.managers.length === 2, 15_000, 'two voters');
    await c.waitFor(async () => (await at(via, 'node', 'rm', '--force', `manager-${a}`)).code === 0, 15_000, `manager-${a} removed`);
    expect(Object.keys(await managerStatus(via))).not.toContain(`manager-${a}`);
    await c.kill(`manager-${a}`);
  }, 120_000);

  it('restarts a cluster that lost quorum from one manager with --force-new-cluster, keeping every service', async () => {
    const leader = await leaderIndex();
    const other = [0, 1, 2].find((i) => i !== leader && c.procs.get(`manager-${i}`)?.child.exitCode === null && c.procs.get(`manager-${i}`)?.child.signalCode === null)!;
    const services = (await info(leader))!.services;
    await c.kill(`manager-${leader}`);
    await c.kill(`manager-${other}`);
    startManager(other, ['--force-new-cluster']);
    await c.waitFor(async () => (await info(other))?.isLeader === true, 20_000, 'the forced manager to lead');
    const inf = (await info(other))!;
    expect(inf.managers).toHaveLength(1);
    expect(inf.services).toBe(services);
    await c.waitFor(async () => (await at(other, 'service', 'create', '--name', 'forced', '-d', TEST_IMAGE)).code === 0, 10_000, 'a write');
    expect((await managerStatus(other))[`manager-${other}`]).toBe('Leader');
    // The manager left behind is a worker now, down, and goes without --force.
    const former = `manager-${leader}`;
    const line = (await at(other, 'node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}')).stdout.split('\n').find((l) => l.startsWith(`${former} `));
    expect(line?.trim()).toBe(`${former} Down`);
    expect((await at(other, 'node', 'rm', former)).code).toBe(0);
  }, 120_000);
});
