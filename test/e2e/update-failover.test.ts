// A rolling update survives its leader: with three managers, `kill -9` of the leader in the middle of an update,
// and the new leader continues it from the store — the slots already replaced stay as they are, no slot is
// replaced twice, and the update completes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, docker, freePort, run, type RunResult } from './harness.js';
import { TEST_IMAGE } from './images.js';

const NEXT_IMAGE = 'shoal-demo:failover-next';

interface TaskJson { Name: string; Image: string; DesiredState: string; CurrentState: string }

describe('a rolling update across a leader change', () => {
  const c = new TestCluster();
  const addrs: string[] = [];

  const startManager = (i: number, extra: string[] = []) => c.spawn(`manager-${i}`, ['manager', '--listen', addrs[i]!,
    '--data-dir', join(c.dir, `manager-${i}`), '--hostname', `manager-${i}`, '--dispatcher-heartbeat', '1s', ...extra]);
  const at = (i: number, ...args: string[]): Promise<RunResult> => run(args, { SHOAL_HOST: addrs[i]! });
  const leaderIndex = async (): Promise<number> => {
    for (let i = 0; i < 3; i++) {
      const r = await at(i, 'info', '--format', 'json');
      if (r.code === 0) return addrs.indexOf((JSON.parse(r.stdout) as { leaderAddr: string }).leaderAddr);
    }
    return -1;
  };
  const tasksVia = async (i: number): Promise<TaskJson[]> => {
    const r = await at(i, 'service', 'ps', 'web', '--format', 'json', '--no-trunc');
    return r.code === 0 ? r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as TaskJson) : [];
  };
  const stateVia = async (i: number): Promise<string> => {
    const r = await at(i, 'service', 'inspect', 'web');
    return r.code === 0 ? (JSON.parse(r.stdout) as Array<{ updateStatus: { state: string } }>)[0]!.updateStatus.state : '';
  };
  /** Containers of the service running the new image. */
  const newContainers = async (): Promise<string[]> => {
    const names = await c.running('web');
    if (names.length === 0) return [];
    const images = (await docker('inspect', '--format', '{{.Name}} {{.Config.Image}}', ...names)).split('\n');
    return images.filter((l) => l.endsWith(` ${NEXT_IMAGE}`)).map((l) => l.split(' ')[0]!);
  };

  beforeAll(async () => {
    await docker('tag', TEST_IMAGE, NEXT_IMAGE);
    for (let i = 0; i < 3; i++) addrs.push(`127.0.0.1:${await freePort()}`);
    startManager(0);
    c.managerAddr = addrs[0]!;
    await c.waitFor(async () => (await c.shoal('info')).code === 0, 15_000, 'the first manager');
    const token = (await c.ok('join-token', 'manager', '-q')).trim();
    startManager(1, ['--join', addrs[0]!, '--token', token]);
    startManager(2, ['--join', addrs[0]!, '--token', token]);
    await c.waitFor(async () => (await at(2, 'info')).code === 0 && (await at(1, 'info')).code === 0, 20_000, 'two managers to join');
    await c.startAgent(1);
    await c.startAgent(2);
  }, 120_000);
  afterAll(async () => {
    await c.destroy();
    await docker('rmi', NEXT_IMAGE).catch(() => undefined);
  }, 120_000);

  it('continues on the new leader without replacing any slot twice', async () => {
    await c.ok('service', 'create', '--name', 'web', '--replicas', '4', '--update-parallelism', '1', '--update-delay', '2s',
      '--update-monitor', '1s', TEST_IMAGE);
    await c.ok('service', 'update', '-d', '--image', NEXT_IMAGE, 'web');
    await c.waitFor(async () => (await newContainers()).length >= 1, 30_000, 'the first slot to be replaced');
    const replacedBefore = await newContainers();
    const leader = await leaderIndex();
    await c.kill(`manager-${leader}`);
    const survivor = [0, 1, 2].find((i) => i !== leader)!;
    await c.waitFor(async () => (await stateVia(survivor)) === 'completed', 60_000, 'the update to complete on the new leader');
    // The containers replaced before the kill were kept, and each slot got exactly one task of the new image.
    const after = await newContainers();
    expect(after).toHaveLength(4);
    for (const name of replacedBefore) expect(after).toContain(name);
    const tasks = await tasksVia(survivor);
    const newPerSlot = new Map<string, number>();
    for (const t of tasks.filter((x) => x.Image === NEXT_IMAGE)) newPerSlot.set(t.Name, (newPerSlot.get(t.Name) ?? 0) + 1);
    expect([...newPerSlot.values()]).toEqual([1, 1, 1, 1]);
  }, 150_000);
});
