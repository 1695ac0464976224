// `service logs` as a user sees it: every line once, prefixed with its task and node; --tail, --timestamps, --raw,
// --no-task-ids; --follow shows new lines as they come and ends on Ctrl-C.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, docker } from './harness.js';
import { TEST_IMAGE } from './images.js';

// The shell traps SIGTERM, so a stop does not wait out the grace period.
const GREET = "trap 'exit 0' TERM; echo hello from $HOSTNAME; echo bye from $HOSTNAME; sleep 1000 & wait";
const TICK = "trap 'exit 0' TERM; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1 & wait; done";

describe('service logs', () => {
  const c = new TestCluster();
  /** The lines `service logs greet` must print, as "prefix | text". */
  const expected: string[] = [];
  /** Per task: [prefix, prefix without the task id, container hostname]. */
  const greeters: Array<{ prefix: string; short: string; host: string }> = [];

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s' });
    await c.startAgent(1);
    await c.startAgent(2);
    await c.ok('service', 'create', '--name', 'greet', '--replicas', '2', TEST_IMAGE, '/bin/sh', '-c', GREET);
    const nodes = new Map((await c.tasks('greet')).map((t) => [t.ID!, t.Node!]));
    for (const name of await c.running('greet')) {
      const [service, slot, taskId] = name.split('.');
      const host = (await docker('inspect', '--format', '{{.Config.Hostname}}', name)).trim();
      const short = `${service}.${slot}@${nodes.get(taskId!)}`;
      const prefix = `${service}.${slot}.${taskId!.slice(0, 12)}@${nodes.get(taskId!)}`;
      greeters.push({ prefix, short, host });
      expected.push(`${prefix} | hello from ${host}`, `${prefix} | bye from ${host}`);
    }
    expect(greeters).toHaveLength(2);
    expect(new Set(greeters.map((g) => g.prefix.split('@')[1]))).toEqual(new Set(['node-1', 'node-2']));
  });
  afterAll(() => c.destroy());

  async function logs(...flags: string[]): Promise<string[]> {
    return (await c.ok('service', 'logs', ...flags, 'greet')).split('\n').filter(Boolean);
  }

  it('prints every line of every task once, prefixed name.slot.taskid@node', async () => {
    // A task's lines are written as it starts: wait until both have written theirs.
    await c.waitFor(async () => (await logs()).length >= 4, 15_000, 'both tasks to have logged');
    const lines = await logs();
    expect([...lines].sort()).toEqual([...expected].sort());
    // Each task's lines in the order it wrote them.
    for (const g of greeters) expect(lines.filter((l) => l.startsWith(g.prefix))).toEqual([`${g.prefix} | hello from ${g.host}`, `${g.prefix} | bye from ${g.host}`]);
  });

  it('-n 1 prints the last line of each task', async () => {
    expect((await logs('-n', '1')).sort()).toEqual(greeters.map((g) => `${g.prefix} | bye from ${g.host}`).sort());
  });

  it('-t puts the time of each line first', async () => {
    const lines = await logs('-t');
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z) (.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(Math.abs(Date.parse(m![1]!) - Date.now())).toBeLessThan(10 * 60_000);
      expect(expected).toContain(m![2]);
    }
  });

  it('--no-task-ids drops the task id; --raw prints the text alone', async () => {
    expect((await logs('--no-task-ids')).sort()).toEqual(greeters.flatMap((g) => [`${g.short} | hello from ${g.host}`, `${g.short} | bye from ${g.host}`]).sort());
    expect((await logs('--raw')).sort()).toEqual(greeters.flatMap((g) => [`hello from ${g.host}`, `bye from ${g.host}`]).sort());
  });

  it('-f prints past and new lines as they come, each once, and ends on Ctrl-C', async () => {
    await c.ok('service', 'create', '--name', 'tick', TEST_IMAGE, '/bin/sh', '-c', TICK);
    const child = c.spawn('logs-f', ['--host', c.managerAddr, 'service', 'logs', '-f', 'tick']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    const ticks = () => out.split('\n').filter(Boolean).map((l) => {
      const m = /^tick\.1\.[a-z0-9]{12}@node-[12] \| tick (\d+)$/.exec(l);
      if (!m) throw new Error(`unexpected line: ${l}`);
      return Number(m[1]);
    });
    await c.waitFor(async () => ticks().length >= 1, 20_000, 'the first tick lines');
    // Lines written after the past ones were printed reach the command while it runs.
    const past = ticks().length;
    await c.waitFor(async () => ticks().length >= past + 2, 20_000, 'two new tick lines');
    const seen = ticks();
    expect(seen).toEqual(seen.map((_, i) => i + 1));
    const sigintAt = Date.now();
    expect(await c.signal('logs-f', 'SIGINT', 10_000)).toBe(0);
    expect(Date.now() - sigintAt).toBeLessThan(5_000);
    const all = ticks();
    expect(all).toEqual(all.map((_, i) => i + 1));
  });
});
