// Restart policy as a user sees it: a container that exits is replaced by a new task in the same slot (or not),
// after the policy's delay, at most the policy's number of times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, docker } from './harness.js';
import { TEST_IMAGE } from './images.js';

const FAIL = ['/bin/sh', '-c', 'exit 1'];
const SUCCEED = ['/bin/sh', '-c', 'exit 0'];

interface Attempt { name: string; created: number; started: number; finished: number }

describe('restart policy', () => {
  const c = new TestCluster();

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s' });
    await c.startAgent(1);
  });
  afterAll(() => c.destroy());

  /** Every container of a service, oldest first, with the engine's own times. */
  async function attempts(service: string): Promise<Attempt[]> {
    const names = await c.running(service, true);
    if (names.length === 0) return [];
    const lines = (await docker('inspect', '--format', '{{.Name}} {{.Created}} {{.State.StartedAt}} {{.State.FinishedAt}}', ...names)).split('\n');
    const time = (s: string) => (s.startsWith('0001-') ? 0 : Date.parse(s));
    return lines.map((l) => {
      const [name, created, started, finished] = l.split(' ');
      return { name: name!.replace(/^\//, ''), created: time(created!), started: time(started!), finished: time(finished!) };
    }).sort((a, b) => a.created - b.created);
  }

  async function create(name: string, flags: string[], command: string[]): Promise<void> {
    await c.ok('service', 'create', '--name', name, '-d', ...flags, TEST_IMAGE, ...command);
  }

  /** Tasks of a service by state word ("Failed", "Complete", "Running", ...). */
  async function states(service: string): Promise<string[]> {
    return (await c.tasks(service)).map((t) => t.CurrentState!.split(' ')[0]!);
  }

  it('replaces a failed container with a new task in the same slot, the old one shown as history', async () => {
    await create('onfail', ['--restart-condition', 'on-failure', '--restart-delay', '1s'], FAIL);
    await c.waitFor(async () => (await states('onfail')).filter((s) => s === 'Failed').length >= 2, 30_000, 'two failed attempts');
    const tasks = await c.tasks('onfail');
    expect(new Set(tasks.map((t) => t.Name))).toEqual(new Set(['onfail.1']));
    const table = (await c.ok('service', 'ps', 'onfail')).split('\n');
    expect(table[1]).toMatch(/^\S+\s+onfail\.1\s+shoal-demo:1\s+/);
    expect(table.slice(2).some((l) => /^\S+\s+\\_ onfail\.1\s+shoal-demo:1\s+node-1\s+Shutdown\s+Failed .*"task: non-zero exit \(1\)"/.test(l))).toBe(true);
    // Every attempt is its own container, named after its slot.
    const names = (await attempts('onfail')).map((a) => a.name);
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names.every((n) => /^onfail\.1\.[a-z0-9]{25}$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    await c.ok('service', 'rm', 'onfail');
  });

  it('does not restart a clean exit under on-failure, nor anything under none; stops after --restart-max-attempts', async () => {
    await create('clean', ['--restart-condition', 'on-failure', '--restart-delay', '1s'], SUCCEED);
    await create('never', ['--restart-condition', 'none', '--restart-delay', '1s'], FAIL);
    await create('twice', ['--restart-max-attempts', '2', '--restart-delay', '1s'], FAIL);
    await c.waitFor(async () => JSON.stringify(await states('clean')) === '["Complete"]'
      && JSON.stringify(await states('never')) === '["Failed"]'
      && JSON.stringify(await states('twice')) === '["Failed","Failed","Failed"]', 30_000, 'the first attempts to end and twice to restart twice');
    // A restart would come 1 s after an exit: nothing changes for three times that.
    await c.holds(async () => JSON.stringify(await states('clean')) === '["Complete"]'
      && JSON.stringify(await states('never')) === '["Failed"]'
      && JSON.stringify(await states('twice')) === '["Failed","Failed","Failed"]', 3_000, 'no further attempt');
    expect(await attempts('twice')).toHaveLength(3);
    // The slot is still desired running (the policy gave up, the service did not change).
    expect((await c.tasks('never'))[0]!.DesiredState).toBe('Running');
    await c.ok('service', 'rm', 'clean', 'never', 'twice');
  });

  it('waits --restart-delay, and 5 s by default, between an exit and the next start', async () => {
    await create('delay1s', ['--restart-max-attempts', '1', '--restart-delay', '1s'], FAIL);
    await create('delaydefault', ['--restart-max-attempts', '1'], FAIL);
    await c.waitFor(async () => (await attempts('delay1s')).filter((a) => a.finished).length === 2
      && (await attempts('delaydefault')).filter((a) => a.finished).length === 2, 30_000, 'both services to restart once');
    const gap = async (service: string) => {
      const [first, second] = await attempts(service);
      return second!.started - first!.finished;
    };
    // The engine's own times: from the exit of one container to the start of the next. The lower bounds are the
    // policy; the upper ones leave room for a slow engine, while telling 1 s from the 5 s default.
    const short = await gap('delay1s');
    expect(short).toBeGreaterThanOrEqual(1_000);
    expect(short).toBeLessThan(5_000);
    const long = await gap('delaydefault');
    expect(long).toBeGreaterThanOrEqual(5_000);
    expect(long).toBeLessThan(10_000);
    await c.ok('service', 'rm', 'delay1s', 'delaydefault');
  });
});
