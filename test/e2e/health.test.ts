// Health checks as a user sees them: a task whose image has a HEALTHCHECK is Starting until the check passes,
// then Running (healthy); a container that turns unhealthy is stopped, its task Failed with "unhealthy container",
// and the restart policy puts a new task in its slot.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, docker } from './harness.js';
import { TEST_IMAGE } from './images.js';

/** Built here, removed in afterAll; the tag is unique so parallel runs never share it. */
const HEALTH_IMAGE = `shoal-health-test:${process.pid}`;

// busybox httpd; /tmp/ok appears OK_AFTER seconds after the start and, when OK_FOR is set, goes away OK_FOR
// seconds later. The check passes while it is there: failures count only after the first pass (start period 60s),
// and 2 of them in a row, 1 s apart, make the container unhealthy.
const DOCKERFILE = `FROM ${TEST_IMAGE}
HEALTHCHECK --interval=1s --timeout=1s --retries=2 --start-period=60s CMD test -f /tmp/ok
ENV OK_AFTER=0 OK_FOR=0
CMD ["/bin/sh", "-c", "trap 'exit 0' TERM; /bin/busybox httpd -f -p 80 -h /www & (sleep $OK_AFTER; /bin/busybox touch /tmp/ok; if [ $OK_FOR != 0 ]; then sleep $OK_FOR; /bin/busybox rm -f /tmp/ok; fi) & wait"]
`;

type TaskRow = Record<string, string>;

describe('health checks', () => {
  const c = new TestCluster();
  const buildDir = mkdtempSync(join(tmpdir(), 'shoal-health-image-'));

  beforeAll(async () => {
    writeFileSync(join(buildDir, 'Dockerfile'), DOCKERFILE);
    await docker('build', '-q', '-t', HEALTH_IMAGE, buildDir);
    await c.startManager({ heartbeat: '1s' });
    await c.startAgent(1);
  });

  afterAll(async () => {
    try {
      await c.destroy();
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
      await docker('rmi', '-f', HEALTH_IMAGE).catch(() => undefined);
    }
  });

  /** Tasks newest first within the slot, as `service ps` lists them. */
  const tasks = (service: string): Promise<TaskRow[]> => c.tasks(service);
  const word = (t: TaskRow | undefined) => t?.CurrentState?.split(' ')[0] ?? '';

  it('a task is Starting (health: starting) until the check passes, then Running (healthy)', async () => {
    await c.ok('service', 'create', '--name', 'slowstart', '-d', '-e', 'OK_AFTER=4', HEALTH_IMAGE);
    await c.waitFor(async () => (await tasks('slowstart'))[0]?.CurrentState?.includes('(health: starting)') ?? false,
      30_000, 'the task to wait for its health check');
    const starting = (await tasks('slowstart'))[0]!;
    expect(word(starting)).toBe('Starting');
    const [container] = await c.running('slowstart');
    expect(container).toBeDefined();
    expect(await docker('inspect', '-f', '{{.State.Health.Status}}', container!)).toBe('starting');

    await c.waitFor(async () => word((await tasks('slowstart'))[0]) === 'Running', 30_000, 'the task to be running once healthy');
    const running = (await tasks('slowstart'))[0]!;
    expect(running.CurrentState).toMatch(/^Running .*\(healthy\)$/);
    expect(await docker('inspect', '-f', '{{.State.Health.Status}}', container!)).toBe('healthy');
    // Passing the check took the 4 s the container needed: it was Starting all that time, never Running early.
    expect((await tasks('slowstart'))).toHaveLength(1);
    await c.ok('service', 'rm', 'slowstart');
  });

  it('the service\'s --health-* flags override the image\'s check, --no-healthcheck disables it', async () => {
    // --health-interval alone keeps the image's command (the engine merges); --health-cmd replaces it.
    await c.ok('service', 'create', '--name', 'faster', '-d', '--health-interval', '500ms', HEALTH_IMAGE);
    await c.ok('service', 'create', '--name', 'nocheck', '-d', '-e', 'OK_AFTER=600', '--no-healthcheck', HEALTH_IMAGE);
    await c.ok('service', 'create', '--name', 'owncheck', '-d', '--health-cmd', 'test -f /www/index.html', '--health-interval', '1s', TEST_IMAGE);
    await c.waitFor(async () => {
      const rows = await Promise.all(['faster', 'nocheck', 'owncheck'].map(async (s) => (await tasks(s))[0]));
      return rows.every((t) => word(t) === 'Running');
    }, 30_000, 'the three services to run');
    expect((await tasks('faster'))[0]!.CurrentState).toMatch(/\(healthy\)$/);
    expect((await tasks('nocheck'))[0]!.CurrentState).not.toMatch(/health/); // never waited for: /tmp/ok is 600 s away
    expect((await tasks('owncheck'))[0]!.CurrentState).toMatch(/\(healthy\)$/);
    const config = async (service: string) => {
      const containers = await c.running(service, true);
      expect(containers, `${service}: one attempt, never replaced`).toHaveLength(1);
      return JSON.parse(await docker('inspect', '-f', '{{json .Config.Healthcheck}}', containers[0]!)) as { Test?: string[]; Interval?: number; Retries?: number };
    };
    expect(await config('faster')).toMatchObject({ Test: ['CMD-SHELL', 'test -f /tmp/ok'], Interval: 500_000_000, Retries: 2 });
    expect((await config('nocheck')).Test).toEqual(['NONE']);
    expect((await config('owncheck')).Test).toEqual(['CMD-SHELL', 'test -f /www/index.html']);
    await c.ok('service', 'rm', 'faster', 'nocheck', 'owncheck');
  });

  it('an unhealthy container is stopped, its task Failed "unhealthy container", and a new task replaces it', async () => {
    await c.ok('service', 'create', '--name', 'sickly', '-d', '--restart-delay', '1s', '-e', 'OK_FOR=3', HEALTH_IMAGE);
    await c.waitFor(async () => {
      const all = await tasks('sickly');
      return all.length >= 2 && all.slice(1).some((t) => word(t) === 'Failed');
    }, 60_000, 'a failed attempt and its replacement');
    const all = await tasks('sickly');
    const failed = all.find((t) => word(t) === 'Failed')!;
    expect(failed.Error).toBe('"unhealthy container"');
    expect(failed.DesiredState).toBe('Shutdown');
    expect(new Set(all.map((t) => t.Name))).toEqual(new Set(['sickly.1']));
    const table = (await c.ok('service', 'ps', 'sickly')).split('\n');
    expect(table.some((l) => /\\_ sickly\.1\s+.*Failed .*"unhealthy container"/.test(l))).toBe(true);

    // The failed attempt's container was stopped by the agent (not left running unhealthy), and kept as history.
    const containers = await c.running('sickly', true);
    expect(containers.length).toBeGreaterThanOrEqual(2);
    // A replacement only created so far has no health state yet.
    const states = (await docker('inspect', '-f', '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', ...containers)).split('\n');
    const unhealthy = states.filter((s) => s.endsWith(' unhealthy'));
    expect(unhealthy.length).toBeGreaterThanOrEqual(1);
    expect(unhealthy.every((s) => / exited /.test(s))).toBe(true);
    await c.ok('service', 'rm', 'sickly');
  });
});
