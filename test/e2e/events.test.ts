// `shoal events` as a user sees it: a stream started in the background shows a service created, scaled and removed,
// with its tasks' state changes, in order; filters, --since and --format json; bad input refused with one line;
// Ctrl-C ends it with 0. With three managers, a stream from a follower flows on when the leader is killed.
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, freePort, run } from './harness.js';
import { TEST_IMAGE } from './images.js';

interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: string;
  time: number;
  timeNano: number;
}

/** The task states in their forward-only order. */
const LADDER = ['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running', 'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned'];

interface Watcher { name: string; child: ChildProcess; lines: string[]; stderr: string[]; json(): DockerEvent[] }

let watchers = 0;
/** `shoal events ARGS` in the background against a manager, its stdout collected line by line. */
function watch(c: TestCluster, host: string, ...args: string[]): Watcher {
  const name = `events-${++watchers}`;
  const child = c.spawn(name, ['-H', host, 'events', ...args]);
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  return { name, child, lines, stderr, json: () => lines.map((l) => JSON.parse(l) as DockerEvent) };
}

const has = (w: Watcher, type: string, action: string, name: string) =>
  w.json().some((e) => e.Type === type && e.Action === action && e.Actor.Attributes['name'] === name);

describe('shoal events', () => {
  // Made in beforeAll: a suite skipped by a test filter leaves no temp dir behind.
  let c: TestCluster;
  let all: Watcher;
  let services: Watcher;
  let webTasks: Watcher;
  let startedAt = 0;

  beforeAll(async () => {
    c = new TestCluster();
    await c.startManager({ heartbeat: '1s' });
    await c.startAgent(1);
    startedAt = Date.now();
    // From the time they were started (unix seconds): a stream that opens late still misses nothing.
    const from = (startedAt / 1000).toFixed(3);
    all = watch(c, c.managerAddr, '--format', 'json', '--since', from);
    services = watch(c, c.managerAddr, '--filter', 'type=service', '--since', from);
    webTasks = watch(c, c.managerAddr, '--filter', 'type=task', '--filter', 'service=web', '--format', 'json', '--since', from);
    // The streams are open once they have seen a change made after they started; what follows comes live.
    await c.ok('service', 'create', '--name', 'probe', '--replicas', '0', '-d', TEST_IMAGE);
    await c.waitFor(async () => has(all, 'service', 'create', 'probe') && services.lines.length > 0, 15_000, 'the streams to open');
  }, 120_000);
  afterAll(() => c?.destroy(), 120_000);

  it('streams a service created, scaled and removed, with its tasks\' creation, state changes and removal, in order', async () => {
    await c.ok('service', 'create', '--name', 'web', TEST_IMAGE);
    await c.ok('service', 'scale', 'web=2');
    await c.waitFor(async () => (await c.running('web')).length === 2, 60_000, 'web to run 2 tasks');
    await c.waitFor(async () => all.json().filter((e) => e.Type === 'task' && e.Actor.Attributes['state'] === 'running' && e.Actor.Attributes['service'] === 'web').length >= 2, 15_000, 'both running events');
    await c.ok('service', 'rm', 'web');
    await c.waitFor(async () => has(all, 'task', 'remove', 'web.1') && has(all, 'task', 'remove', 'web.2'), 60_000, `the tasks' removal\n${all.lines.join('\n')}`);

    const events = all.json();
    expect(events.every((e) => e.scope === 'swarm' && e.time === Math.floor(e.timeNano / 1e9))).toBe(true);
    const web = events.filter((e) => e.Actor.Attributes['name'] === 'web' || e.Actor.Attributes['service'] === 'web');
    const at = (type: string, action: string, name: string) => web.findIndex((e) => e.Type === type && e.Action === action && e.Actor.Attributes['name'] === name);
    const serviceEvents = web.filter((e) => e.Type === 'service').map((e) => e.Action);
    expect(serviceEvents[0]).toBe('create');
    expect(serviceEvents).toContain('update'); // the scale
    expect(serviceEvents.at(-1)).toBe('remove');
    expect(at('service', 'create', 'web')).toBeLessThan(at('task', 'create', 'web.1'));
    expect(at('task', 'create', 'web.1')).toBeLessThan(at('service', 'update', 'web'));
    expect(at('service', 'update', 'web')).toBeLessThan(at('task', 'create', 'web.2'));
    expect(at('service', 'remove', 'web')).toBeGreaterThan(at('task', 'create', 'web.2'));
    for (const slot of ['web.1', 'web.2']) {
      const task = web.filter((e) => e.Type === 'task' && e.Actor.Attributes['name'] === slot);
      expect(task[0]!.Action).toBe('create');
      expect(task.at(-1)!.Action).toBe('remove');
      const states = task.map((e) => e.Actor.Attributes['state']!);
      expect(states).toContain('running');
      // Forward only, and an update only when something a user cares about changed (never a repeat of everything).
      const order = states.map((s) => LADDER.indexOf(s));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(task.filter((e) => e.Action === 'update').length).toBeGreaterThanOrEqual(2);
      expect(task.every((e) => e.Actor.Attributes['service'] === 'web' && e.Actor.Attributes['node'] !== undefined || e.Action === 'create')).toBe(true);
    }
    // The filtered streams saw exactly their part, in the same order.
    await c.waitFor(async () => webTasks.json().length === web.filter((e) => e.Type === 'task').length, 10_000, 'the task stream to catch up');
    expect(webTasks.json()).toEqual(web.filter((e) => e.Type === 'task'));
    await c.waitFor(async () => services.lines.some((l) => / service remove \S+ \(.*name=web/.test(l)), 10_000, 'the service stream');
    for (const l of services.lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z service (create|update|remove) [0-9a-z]+ \(image=\S+, name=\S+.*\)$/);
    expect(services.lines.map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(
      events.filter((e) => e.Type === 'service').map((e) => `service ${e.Action}`));
  }, 180_000);

  it('replays with --since, with the same events the live stream showed', async () => {
    const since = watch(c, c.managerAddr, '--since', `${Math.floor((Date.now() - startedAt) / 1000) + 60}s`, '--filter', 'service=web', '--format', 'json');
    const live = all.json().filter((e) => e.Actor.Attributes['name'] === 'web' || e.Actor.Attributes['service'] === 'web');
    await c.waitFor(async () => since.lines.length >= live.length, 15_000, `the replay\n${since.stderr.join('')}`);
    expect(since.json()).toEqual(live);
    expect(await c.signal(since.name, 'SIGINT', 10_000)).toBe(0);
  });

  it('without --since shows only what happens once it is open', async () => {
    const w = watch(c, c.managerAddr, '--filter', 'type=service');
    let n = 0;
    await c.waitFor(async () => {
      await c.ok('service', 'create', '--name', `live-${n++}`, '--replicas', '0', '-d', TEST_IMAGE);
      return w.lines.length > 0;
    }, 30_000, 'a live event');
    for (const l of w.lines) expect(l).toMatch(/ service create \S+ \(image=\S+, name=live-\d+\)$/);
    expect(await c.signal(w.name, 'SIGINT', 10_000)).toBe(0);
  });

  it('resumes after the last event it printed when its manager restarts, printing nothing twice', async () => {
    const before = all.lines.length;
    expect(await c.signal('manager', 'SIGTERM', 30_000)).toBe(0);
    c.restartManager();
    await c.waitFor(async () => (await c.shoal('info')).code === 0, 15_000, 'the manager to restart');
    await c.ok('service', 'create', '--name', 'phoenix', '--replicas', '0', '-d', TEST_IMAGE);
    await c.waitFor(async () => has(all, 'service', 'create', 'phoenix'), 15_000, `the stream to resume\n${all.stderr.join('')}`);
    expect(all.child.exitCode).toBeNull();
    expect(new Set(all.lines).size).toBe(all.lines.length);
    expect(all.lines.slice(before).map((l) => JSON.parse(l) as DockerEvent).filter((e) => e.Type === 'service').map((e) => `${e.Action} ${e.Actor.Attributes['name']}`))
      .toEqual(['create phoenix']);
  }, 60_000);

  it('ends with 0 on Ctrl-C', async () => {
    for (const w of [all, services, webTasks]) expect(await c.signal(w.name, 'SIGINT', 10_000)).toBe(0);
    expect([...all.stderr, ...services.stderr, ...webTasks.stderr].join('')).toBe('');
  });

  it.each([
    [['--filter', 'type=container'], 'Error: invalid event type "container": use service, node, task'],
    [['--filter', 'colour=red'], 'Error: invalid filter key "colour": use one of type, service, node, event'],
    [['--filter', 'event=start'], 'Error: invalid event "start": use create, update, remove'],
    [['--since', 'last tuesday'], 'Error: invalid since "last tuesday": use a duration (42m), an RFC 3339 time (2013-01-02T13:23:37Z) or unix seconds'],
  ])('refuses events %j with one line', async (args, line) => {
    const r = await c.shoal('events', ...args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(line);
  });
});

describe('shoal events with three managers', () => {
  // Made in beforeAll: a suite skipped by a test filter leaves no temp dir behind.
  let c: TestCluster;
  const addrs: string[] = [];

  const managerArgs = (i: number) => ['manager', '--listen', addrs[i]!, '--data-dir', join(c.dir, `manager-${i}`),
    '--hostname', `manager-${i}`, '--dispatcher-heartbeat', '1s'];
  const leaderAddr = async (i: number): Promise<string> => {
    const r = await run(['info', '--format', 'json'], { SHOAL_HOST: addrs[i]! });
    return r.code === 0 ? (JSON.parse(r.stdout) as { leaderAddr: string }).leaderAddr : '';
  };

  beforeAll(async () => {
    c = new TestCluster();
    for (let i = 0; i < 3; i++) addrs.push(`127.0.0.1:${await freePort()}`);
    c.spawn('manager-0', [...managerArgs(0), '--raft-election-ticks', '8']);
    c.managerAddr = addrs[0]!;
    await c.waitFor(async () => (await c.shoal('info')).code === 0, 15_000, 'the first manager');
    const token = (await c.ok('join-token', 'manager', '-q')).trim();
    for (const i of [1, 2]) {
      c.spawn(`manager-${i}`, [...managerArgs(i), '--join', addrs[0]!, '--token', token]);
      await c.waitFor(async () => (await leaderAddr(i)) === addrs[0], 20_000, `manager-${i} to join`);
    }
    await c.startAgent(1);
  }, 120_000);
  afterAll(() => c?.destroy(), 120_000);

  it('keeps streaming from a follower through the leader\'s kill -9; a stream from the dead leader fails with one line', async () => {
    const from = (Date.now() / 1000).toFixed(3);
    const follower = watch(c, addrs[1]!, '--format', 'json', '--since', from);
    const fromLeader = watch(c, addrs[0]!, '--filter', 'type=service', '--since', from);
    await c.ok('service', 'create', '--name', 'before', '--replicas', '0', '-d', TEST_IMAGE);
    await c.waitFor(async () => has(follower, 'service', 'create', 'before') && fromLeader.lines.length > 0, 15_000, 'the streams to open');

    await c.kill('manager-0');
    await c.waitFor(async () => [addrs[1], addrs[2]].includes(await leaderAddr(1)), 20_000, 'a new leader');
    const r = await run(['service', 'create', '--name', 'after', '-d', TEST_IMAGE], { SHOAL_HOST: addrs[2]! });
    expect(r.stderr).toBe('');
    await c.waitFor(async () => has(follower, 'service', 'create', 'after'), 15_000, 'the event made under the new leader');
    await c.waitFor(async () => follower.json().some((e) => e.Type === 'task' && e.Actor.Attributes['name'] === 'after.1' && e.Actor.Attributes['state'] === 'running'), 60_000, 'after.1 running');
    expect(follower.child.exitCode).toBeNull();
    expect(follower.stderr.join('')).toBe('');
    const times = follower.json().map((e) => e.timeNano);
    expect(times.length).toBeGreaterThan(3);

    // The CLI talking to the killed manager retries for 10 s, then says so in one line.
    const code = await new Promise<number | null>((resolve) => {
      if (fromLeader.child.exitCode !== null) resolve(fromLeader.child.exitCode);
      else fromLeader.child.once('exit', (x) => resolve(x));
    });
    expect(code).toBe(1);
    expect(fromLeader.stderr.join('').trim()).toBe(`Error: lost the event stream and could not resume it for 10 s: cannot reach manager at ${addrs[0]}`);
    expect(await c.signal(follower.name, 'SIGINT', 10_000)).toBe(0);
    await run(['service', 'rm', 'after', 'before'], { SHOAL_HOST: addrs[1]! });
  }, 120_000);
});

describe('shoal events from a manager that no longer keeps some of them', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = new TestCluster();
    await c.startManager({ heartbeat: '1s', extra: ['--events-kept', '3'] });
  }, 60_000);
  afterAll(() => c?.destroy(), 60_000);

  it('replays the latest it keeps and says on stderr, once, that older ones asked for are missing', async () => {
    const from = (Date.now() / 1000).toFixed(3);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await c.ok('service', 'create', '--name', name, '--replicas', '0', '-d', TEST_IMAGE);
    const w = watch(c, c.managerAddr, '--since', from, '--format', 'json');
    await c.waitFor(async () => w.lines.length >= 3 && w.stderr.length > 0, 15_000, `the replay\n${w.stderr.join('')}`);
    expect(w.json().map((e) => `${e.Action} ${e.Actor.Attributes['name']}`)).toEqual(['create c', 'create d', 'create e']);
    const oldestKept = Math.round(w.json()[0]!.timeNano / 1e6); // ms (timeNano is not exact in a double)
    expect(w.stderr.join('').trim()).toMatch(/^Warning: some events asked for are missing: the manager keeps events since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z only$/);
    expect(Date.parse(/since (\S+) only/.exec(w.stderr.join(''))![1]!)).toBe(oldestKept);
    // Asking only for what it keeps: no warning (and a template reaching into the actor's attributes, as docker's).
    const kept = watch(c, c.managerAddr, '--since', (oldestKept / 1000).toFixed(3), '--format', '{{.Action}} {{.Actor.Attributes.name}}');
    await c.waitFor(async () => kept.lines.length >= 3, 15_000, 'the second replay');
    expect(kept.lines).toEqual(['create c', 'create d', 'create e']);
    expect(await c.signal(w.name, 'SIGINT', 10_000)).toBe(0);
    expect(await c.signal(kept.name, 'SIGINT', 10_000)).toBe(0);
    expect(kept.stderr.join('')).toBe('');
    expect(w.stderr.join('').trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
