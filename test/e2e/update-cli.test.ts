// The CLI side of rolling updates as a user meets it: `service update` and `service rollback` print the name and
// docker's progress; every bad flag is one line, exit 1, and leaves the service as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster } from './harness.js';
import { TEST_IMAGE } from './images.js';

interface Inspected {
  spec: { task: { container: { env: string[] } }; update: { monitorMs: number } };
  updateStatus: { state: string; message: string };
}

describe('service update and rollback (CLI)', () => {
  const c = new TestCluster();
  const inspect = async (name: string) => (JSON.parse(await c.ok('service', 'inspect', name)) as Inspected[])[0]!;

  beforeAll(async () => {
    await c.startManager({ heartbeat: '1s', agent: true });
    await c.waitFor(async () => (await c.nodes())[0]?.Status === 'Ready', 15_000, 'the manager node to be ready');
    c.trackNode((await c.nodes())[0]!.ID!);
    await c.ok('service', 'create', '--name', 'keep', '--replicas', '0', '-d', TEST_IMAGE);
    await c.ok('service', 'create', '--name', 'everywhere', '--mode', 'global', '--constraint', 'node.labels.none==here', '-d', TEST_IMAGE);
  });
  afterAll(() => c.destroy());

  const bad: Array<[string, string[], RegExp]> = [
    ['a negative update parallelism', ['service', 'update', '--update-parallelism', '-1', 'keep'], /--update-parallelism "-1": use a whole number of tasks, 0 for all at once/],
    ['a failure ratio above 1', ['service', 'update', '--update-max-failure-ratio', '1.5', 'keep'], /--update-max-failure-ratio "1.5": use a number from 0 to 1/],
    ['an unknown update failure action', ['service', 'update', '--update-failure-action', 'explode', 'keep'], /use pause, continue or rollback/],
    ['rollback as the rollback failure action', ['service', 'update', '--rollback-failure-action', 'rollback', 'keep'], /--rollback-failure-action "rollback": use pause or continue/],
    ['an unknown update order', ['service', 'update', '--update-order', 'random', 'keep'], /--update-order "random": use stop-first or start-first/],
    ['a malformed update delay', ['service', 'update', '--update-delay', 'soon', 'keep'], /--update-delay "soon": use a Go duration/],
    ['a zero health interval', ['service', 'update', '--health-interval', '0s', 'keep'], /--health-interval "0s": use a duration above zero/],
    ['a negative health interval', ['service', 'update', '--health-interval', '-1s', 'keep'], /--health-interval "-1s"/],
    ['--no-healthcheck with --health-cmd', ['service', 'update', '--no-healthcheck', '--health-cmd', 'true', 'keep'], /--no-healthcheck conflicts with --health-cmd/],
    ['--replicas on a global service', ['service', 'update', '--replicas', '2', 'everywhere'], /--replicas can only be used with replicated mode: everywhere is global/],
    ['an unterminated quote in --args', ['service', 'update', '--args', 'sh -c "exit', 'keep'], /--args .*unterminated double quote/],
    ['a malformed --publish-rm', ['service', 'update', '--publish-rm', 'http', 'keep'], /--publish-rm "http": use the published port/],
    ['a relative --mount-rm', ['service', 'update', '--mount-rm', 'data', 'keep'], /--mount-rm "data": use the mount's target/],
    ['--rollback with other flags', ['service', 'update', '--rollback', '--image', 'x', 'keep'], /--rollback cannot be combined with other flags \(--image\)/],
    ['a bad flag for a service that does not exist', ['service', 'update', '--update-order', 'random', 'nope'], /--update-order "random"/],
    ['updating a service that does not exist', ['service', 'update', '-d', '--image', TEST_IMAGE, 'nope'], /^Error: no such service: nope$/],
    ['rolling back a service never updated', ['service', 'rollback', 'keep'], /^Error: service keep has no previous spec to roll back to$/],
    ['update --rollback of a service never updated', ['service', 'update', '--rollback', '-d', 'keep'], /^Error: service keep has no previous spec to roll back to$/],
    ['rolling back a service that does not exist', ['service', 'rollback', 'nope'], /^Error: no such service: nope$/],
    ['create with a negative update parallelism', ['service', 'create', '--update-parallelism', '-1', TEST_IMAGE], /--update-parallelism "-1"/],
    ['create with --no-healthcheck and --health-retries', ['service', 'create', '--no-healthcheck', '--health-retries', '3', TEST_IMAGE], /--no-healthcheck conflicts/],
    ['create with rollback as the rollback failure action', ['service', 'create', '--rollback-failure-action', 'rollback', TEST_IMAGE], /use pause or continue/],
    ['create with a failure ratio below 0', ['service', 'create', '--update-max-failure-ratio', '-0.5', TEST_IMAGE], /from 0 to 1/],
  ];

  it.each(bad)('refuses %s with one line and exit 1, changing nothing', async (_what, args, message) => {
    const before = await c.ok('service', 'inspect', 'keep', 'everywhere');
    const r = await c.shoal(...args);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: /);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
    expect((await c.ok('service', 'ls', '-q')).trim().split('\n')).toHaveLength(2);
    expect(await c.ok('service', 'inspect', 'keep', 'everywhere')).toBe(before);
  });

  it('says a service removed before the update is gone, by the name given', async () => {
    await c.ok('service', 'create', '--name', 'gone', '--replicas', '0', '-d', TEST_IMAGE);
    await c.ok('service', 'rm', 'gone');
    const r = await c.shoal('service', 'update', '--detach', '--env-add', 'A=1', 'gone');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error: no such service: gone');
  });

  it('updates with progress, then rolls back with progress, as docker prints them', async () => {
    await c.ok('service', 'create', '--name', 'web', '--replicas', '1', '--update-monitor', '1s', '--rollback-monitor', '1s', TEST_IMAGE);

    const up = await c.shoal('service', 'update', '--env-add', 'COLOR=blue', 'web');
    expect(up.code, up.stderr).toBe(0);
    const upLines = up.stdout.trim().split('\n');
    expect(upLines[0]).toBe('web');
    expect(upLines).toContain('overall progress: 1 out of 1 tasks');
    expect(upLines).toContain('verify: Waiting 1 seconds to verify that tasks are stable...');
    expect(upLines.at(-1)).toBe('verify: Service converged');
    expect((await inspect('web')).spec.task.container.env).toEqual(['COLOR=blue']);
    await c.waitFor(async () => (await inspect('web')).updateStatus.state === 'completed', 15_000, 'the update to complete');
    expect((await c.ok('service', 'ls', '--filter', 'name=web', '--format', '{{.Replicas}} {{.UpdateState}}')).trim()).toBe('1/1 completed');

    const back = await c.shoal('service', 'rollback', 'web');
    expect(back.code, back.stderr).toBe(0);
    const backLines = back.stdout.trim().split('\n');
    expect(backLines.slice(0, 2)).toEqual(['web', 'rollback: manually requested rollback']);
    expect(backLines).toContain('overall progress: rolling back update: 1 out of 1 tasks');
    expect(backLines).toContain('verify: Service converged');
    expect((await inspect('web')).spec.task.container.env).toEqual([]);
  });

  it('changes nothing with --detach but the spec, and prints only the name', async () => {
    const r = await c.shoal('service', 'update', '-d', '--update-parallelism', '0', '--update-order', 'start-first', 'keep');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('keep\n');
    expect((await inspect('keep')).spec.update).toMatchObject({ parallelism: 0, order: 'start-first', monitorMs: 5000 });
  });
});
