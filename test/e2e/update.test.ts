// Rolling updates as a user sees them: `shoal service update` replaces tasks batch by batch on three agents,
// keeps the service's capacity within the order's bounds, pauses on a failing spec or rolls back by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, docker } from './harness.js';
import { TEST_IMAGE } from './images.js';

/** The same image under a second name: an image change for the spec, nothing to pull. */
const NEXT_IMAGE = 'shoal-demo:update-next';

interface EventJson { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> } }
/** Task states in their forward-only order, as events name them. */
const LADDER = ['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running', 'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned'];

interface ServiceView { spec: { task: { container: { image: string; args: string[] } } }; updateStatus: { state: string; message: string } }

describe('rolling updates', () => {
  const c = new TestCluster();

  beforeAll(async () => {
    await docker('tag', TEST_IMAGE, NEXT_IMAGE);
    await c.startManager({ heartbeat: '1s' });
    for (const i of [1, 2, 3]) await c.startAgent(i);
  }, 120_000);
  afterAll(async () => {
    await c.destroy();
    await docker('rmi', NEXT_IMAGE).catch(() => undefined);
  });

  async function inspect(name: string): Promise<ServiceView> {
    return (JSON.parse(await c.ok('service', 'inspect', name)) as ServiceView[])[0]!;
  }

  /** Images of the running containers of a service, as the engine reports them. */
  async function runningImages(name: string): Promise<string[]> {
    const names = await c.running(name);
    if (names.length === 0) return [];
    return (await docker('inspect', '--format', '{{.Config.Image}}', ...names)).split('\n');
  }

  /** `shoal events` for one service in the background, from now on, as JSON lines. */
  function watchEvents(service: string): { name: string; list(): EventJson[] } {
    const name = `events-${service}`;
    const child = c.spawn(name, ['-H', c.managerAddr, 'events', '--filter', `service=${service}`, '--format', 'json', '--since', (Date.now() / 1000).toFixed(3)]);
    let text = '';
    child.stdout!.on('data', (d: Buffer) => { text += d.toString(); });
    return { name, list: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as EventJson) };
  }

  /** Running containers of a service whose command is not the failing one, by name. */
  async function oldSpecRunning(name: string): Promise<string[]> {
    const names = await c.running(name);
    if (names.length === 0) return [];
    const lines = (await docker('inspect', '--format', '{{.Name}} {{json .Config.Cmd}}', ...names)).split('\n');
    return lines.filter((l) => !l.includes('exit 3')).map((l) => l.split(' ')[0]!).sort();
  }

  async function createSix(name: string, flags: string[]): Promise<void> {
    await c.ok('service', 'create', '--name', name, '--replicas', '6', '--update-parallelism', '2', '--update-monitor', '1s', ...flags, TEST_IMAGE);
    expect(await c.running(name)).toHaveLength(6);
  }

  /** Runs `update` and samples how many containers run until the rollout is complete: [min, max] seen. */
  async function updateAndSample(name: string, args: string[]): Promise<{ min: number; max: number; samples: number }> {
    const update = c.shoal('service', 'update', '-d', ...args, name);
    let min = Infinity, max = 0, samples = 0;
    let done = false;
    const deadline = Date.now() + 90_000;
    while (!done && Date.now() < deadline) {
      const n = (await c.running(name)).length;
      min = Math.min(min, n); max = Math.max(max, n); samples++;
      done = (await inspect(name)).updateStatus.state === 'completed';
    }
    expect((await update).code).toBe(0);
    expect(done).toBe(true);
    return { min, max, samples };
  }

  it('stop-first with parallelism 2 never has fewer than 4 of 6 running, and ends with every task on the new image', async () => {
    await createSix('stopfirst', []);
    const events = watchEvents('stopfirst');
    const seen = await updateAndSample('stopfirst', ['--image', NEXT_IMAGE]);
    expect(seen.samples).toBeGreaterThan(3);
    expect(seen.min).toBeGreaterThanOrEqual(4);
    expect(seen.max).toBeLessThanOrEqual(6);
    expect(await runningImages('stopfirst')).toEqual(Array(6).fill(NEXT_IMAGE));
    const tasks = await c.tasks('stopfirst');
    // The replaced tasks stay as history: shut down, on the old image.
    expect(tasks.filter((t) => t.DesiredState === 'Shutdown' && t.Image === TEST_IMAGE)).toHaveLength(6);

    // The whole rollout on `shoal events`, in order: the service's update state, every task's states moving only
    // forward, and in each slot the new task running only after the old one has shut down.
    await c.waitFor(async () => events.list().some((e) => e.Type === 'service' && e.Actor.Attributes['updatestate.new'] === 'completed'), 10_000, 'the completed event');
    await c.kill(events.name);
    const list = events.list();
    expect(list.filter((e) => e.Actor.Attributes['updatestate.new']).map((e) => e.Actor.Attributes['updatestate.new'])).toEqual(['updating', 'completed']);
    const byTask = new Map<string, string[]>();
    for (const e of list.filter((x) => x.Type === 'task' && x.Actor.Attributes['state'])) {
      byTask.set(e.Actor.ID, [...(byTask.get(e.Actor.ID) ?? []), e.Actor.Attributes['state']!]);
    }
    for (const states of byTask.values()) {
      const ranks = states.map((st) => LADDER.indexOf(st));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    // Tasks created once the stream was open are the new ones; the others ran the old spec.
    const created = new Set(list.filter((e) => e.Type === 'task' && e.Action === 'create').map((e) => e.Actor.ID));
    expect(created.size).toBe(6);
    for (let slot = 1; slot <= 6; slot++) {
      const inSlot = list.map((e, i) => ({ e, i })).filter(({ e }) => e.Type === 'task' && e.Actor.Attributes['slot'] === String(slot));
      const oldDown = inSlot.find(({ e }) => !created.has(e.Actor.ID) && e.Actor.Attributes['state'] === 'shutdown');
      const newUp = inSlot.find(({ e }) => created.has(e.Actor.ID) && e.Actor.Attributes['state'] === 'running');
      expect(oldDown, `slot ${slot}: the old task shut down`).toBeDefined();
      expect(newUp, `slot ${slot}: a new task ran`).toBeDefined();
      expect(newUp!.i).toBeGreaterThan(oldDown!.i);
    }
  }, 120_000);

  it('start-first with parallelism 2 never has more than 8 running, nor fewer than 6', async () => {
    await createSix('startfirst', ['--update-order', 'start-first']);
    const seen = await updateAndSample('startfirst', ['--image', NEXT_IMAGE]);
    expect(seen.max).toBeLessThanOrEqual(8);
    expect(seen.min).toBeGreaterThanOrEqual(6);
    expect(await runningImages('startfirst')).toEqual(Array(6).fill(NEXT_IMAGE));
  }, 120_000);

  it('an update to a command that exits pauses, naming the task and its error, with the old tasks still running; a new update resumes', async () => {
    await createSix('pauses', ['--restart-delay', '1s']);
    const out = await c.shoal('service', 'update', '--args', 'sh -c "exit 3"', 'pauses');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/update paused due to failure or early termination of task \w+: task: non-zero exit \(3\)/);
    const paused = await inspect('pauses');
    expect(paused.updateStatus.state).toBe('paused');
    // As in swarm, a slot is free again once its new task runs, so a task that fails just after it started may have
    // let one more slot begin before the failure paused the update; the slots not begun still run the old spec,
    // and once paused no more of them is replaced.
    const old = await oldSpecRunning('pauses');
    expect(old.length).toBeGreaterThanOrEqual(1);
    await c.holds(async () => JSON.stringify(await oldSpecRunning('pauses')) === JSON.stringify(old), 3_000, 'the old tasks running');
    // A change that replaces no task leaves it paused, and says so at once.
    const scaled = await c.shoal('service', 'update', '--replicas', '6', 'pauses');
    expect(scaled.code).toBe(1);
    expect(scaled.stderr).toMatch(/service update paused: update paused due to failure/);
    // The paused rollout resumes with the next spec.
    await c.ok('service', 'update', '--args', `sh -c "trap 'exit 0' TERM; /bin/busybox sleep 3600 & wait"`, 'pauses');
    expect((await inspect('pauses')).updateStatus.state).toBe('completed');
    expect(await c.running('pauses')).toHaveLength(6);
  }, 120_000);

  it('with failure action rollback the service returns to its previous spec by itself', async () => {
    await createSix('rollsback', ['--update-failure-action', 'rollback', '--restart-delay', '1s', '--rollback-monitor', '1s']);
    const out = await c.shoal('service', 'update', '--image', NEXT_IMAGE, '--args', 'sh -c "exit 3"', 'rollsback');
    expect(out.code).toBe(1);
    expect(out.stdout + out.stderr).toMatch(/rolled back due to failure or early termination of task/);
    await c.waitFor(async () => (await inspect('rollsback')).updateStatus.state === 'rollback_completed', 60_000, 'the rollback to complete');
    const back = await inspect('rollsback');
    expect(back.spec.task.container.image).toBe(TEST_IMAGE);
    expect(back.spec.task.container.args).toEqual([]);
    await c.waitFor(async () => (await runningImages('rollsback')).length === 6, 30_000, 'six tasks of the old spec');
    expect(await runningImages('rollsback')).toEqual(Array(6).fill(TEST_IMAGE));
  }, 120_000);

  it('an automatic rollback whose published port another service took meanwhile pauses instead, saying so', async () => {
    await c.ok('service', 'create', '--name', 'portback', '--replicas', '2', '-p', '18380:80', '--update-failure-action', 'rollback', '--update-monitor', '20s', TEST_IMAGE);
    // The update moves the service to another port, with a command that fails after a moment: time to give the old port away.
    await c.ok('service', 'update', '-d', '--publish-rm', '18380', '--publish-add', '18381:80', '--args', 'sh -c "sleep 2; exit 3"', 'portback');
    await c.ok('service', 'create', '--name', 'porttaker', '-p', '18380:80', TEST_IMAGE);
    await c.waitFor(async () => (await inspect('portback')).updateStatus.state !== 'updating', 60_000, 'the update to stop');
    expect((await inspect('portback')).updateStatus).toMatchObject({
      state: 'paused',
      message: expect.stringMatching(/^update paused due to failure or early termination of task \w+: task: non-zero exit \(3\); cannot roll back: published port 18380\/tcp is already used by service porttaker \(ingress\)$/) as unknown,
    });
    const [view] = JSON.parse(await c.ok('service', 'inspect', 'portback')) as Array<{ spec: { endpoint: { ports: Array<{ publishedPort: number }> } } }>;
    expect(view!.spec.endpoint.ports.map((p) => p.publishedPort)).toEqual([18381]); // still the new spec
    // A manual rollback is refused alike, and changes nothing.
    const manual = await c.shoal('service', 'rollback', '-d', 'portback');
    expect(manual.code).toBe(1);
    expect(manual.stderr).toMatch(/published port 18380\/tcp is already used by service porttaker/);
    await c.ok('service', 'rm', 'portback', 'porttaker');
  }, 120_000);

  it('service rollback returns to the previous spec; --force replaces every task without a change', async () => {
    await createSix('manual', ['--update-parallelism', '0', '--rollback-parallelism', '0', '--rollback-monitor', '1s']);
    await c.ok('service', 'update', '--image', NEXT_IMAGE, 'manual');
    await c.ok('service', 'rollback', 'manual');
    const back = await inspect('manual');
    expect(back.spec.task.container.image).toBe(TEST_IMAGE);
    expect(back.updateStatus.state).toBe('rollback_completed');
    expect(await runningImages('manual')).toEqual(Array(6).fill(TEST_IMAGE));
    const before = new Set(await c.running('manual'));
    await c.ok('service', 'update', '--force', 'manual');
    const after = await c.running('manual');
    expect(after).toHaveLength(6);
    expect(after.filter((n) => before.has(n))).toEqual([]);
  }, 120_000);
});
