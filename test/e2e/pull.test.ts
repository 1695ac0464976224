// Images that are not on the node: the agent pulls them from a registry and reports PREPARING meanwhile; a pull
// that fails rejects the task with the engine's message, and the restart policy keeps trying.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCluster, docker } from './harness.js';
import { TEST_IMAGE } from './images.js';
import { Registry, RegistryGate } from './registry.js';

describe('pulling images', () => {
  const c = new TestCluster();
  let registry: Registry | undefined;
  let gate: RegistryGate | undefined;
  /** Every image reference this test may have left in the engine. */
  const images: string[] = [];

  beforeAll(async () => {
    registry = await Registry.start();
    gate = await RegistryGate.open(registry.addr);
    const pushed = `${registry.addr}/shoal-e2e/demo:1`;
    images.push(pushed, `${gate.addr}/shoal-e2e/demo:1`);
    await docker('tag', TEST_IMAGE, pushed);
    await docker('push', pushed);
    await docker('rmi', pushed);
    await c.startManager({ heartbeat: '1s' });
    await c.startAgent(1);
  });
  afterAll(async () => {
    try {
      await c.destroy();
      for (const image of images) await docker('rmi', '-f', image).catch(() => undefined);
    } finally {
      await gate?.close();
      await registry?.stop();
    }
  });

  /** [name, current state word, error] of the tasks of a service. */
  async function tasks(service: string): Promise<Array<[string, string, string]>> {
    return (await c.tasks(service)).map((t) => [t.Name!, t.CurrentState!.split(' ')[0]!, t.Error!]);
  }

  it('pulls an image the node does not have, reporting Preparing while it does, then runs it', async () => {
    const image = `${gate!.addr}/shoal-e2e/demo:1`;
    await expect(docker('image', 'inspect', image)).rejects.toThrow();
    gate!.hold();
    await c.ok('service', 'create', '--name', 'pulled', '-d', image);
    await c.waitFor(async () => (await tasks('pulled'))[0]?.[1] === 'Preparing', 20_000, 'the task to be preparing');
    gate!.release();
    await c.waitFor(async () => (await tasks('pulled'))[0]?.[1] === 'Running' && (await c.running('pulled')).length === 1, 60_000, 'the pulled image to run');
    expect(await docker('image', 'inspect', '--format', '{{.Id}}', image)).toBe(await docker('image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE));
    expect(await tasks('pulled')).toHaveLength(1);
  });

  it('rejects the task with the engine\'s message when the pull fails, and keeps retrying', async () => {
    const image = `${registry!.addr}/shoal-e2e/demo:missing`;
    images.push(image);
    await c.ok('service', 'create', '--name', 'missing', '--restart-delay', '1s', '-d', image);
    await c.waitFor(async () => (await tasks('missing')).filter((t) => t[1] === 'Rejected').length >= 2, 60_000, 'two rejected attempts');
    const rejected = (await tasks('missing')).filter((t) => t[1] === 'Rejected');
    for (const [name, , err] of rejected) {
      expect(name).toBe('missing.1');
      expect(err).toMatch(/manifest unknown|not found/);
      expect(err).toContain(`${registry!.addr}/shoal-e2e/demo`);
    }
    const table = (await c.ok('service', 'ps', 'missing')).split('\n');
    expect(table.some((l) => /\\_ missing\.1\s+\S+\s+node-1\s+Shutdown\s+Rejected .*"/.test(l))).toBe(true);
    expect(await c.running('missing', true)).toHaveLength(0);
  });
});
