import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { NotFoundError, UnavailableError } from '@shoal/api';
import { DockerController } from '../../packages/agent/src/docker/controller.js';
import { HealthEvents, healthEvents } from '../../packages/agent/src/docker/health.js';
import type { ImagePuller } from '../../packages/agent/src/docker/image-puller.js';
import type { HealthStatus } from '../../packages/agent/src/exec/controller.js';
import { makeTask, settle } from './helpers.js';

interface Dial { path: string; query: Record<string, string>; signal: AbortSignal; body: PassThrough; answer(err?: Error): void }

/** An engine whose GET /events calls (and container inspects) the test answers by hand. */
function fakeEngine() {
  const dials: Dial[] = [];
  const inspects: { resolve(info: unknown): void; reject(err: unknown): void }[] = [];
  const docker = {
    getContainer: () => ({
      inspect: () => new Promise((resolve, reject) => inspects.push({ resolve, reject })),
    }),
    modem: {
      dial(opts: { path: string; options: { _query: Record<string, string> }; abortSignal: AbortSignal }, cb: (err: Error | null, res?: unknown) => void) {
        const body = new PassThrough();
        opts.abortSignal.addEventListener('abort', () => body.destroy(), { once: true });
        dials.push({
          path: opts.path, query: opts.options._query, signal: opts.abortSignal, body,
          answer: (err) => (err ? cb(err) : cb(null, body)),
        });
      },
    },
  } as unknown as Dockerode;
  return { docker, dials, inspects };
}

/** What inspect answers for a running container with this health. */
const info = (health: string) => ({
  Id: 'c1', State: { Running: true, StartedAt: '2024-01-01T00:00:00Z', Pid: 1, ExitCode: 0, Health: { Status: health } },
  Config: { Healthcheck: { Test: ['CMD', 'true'] } }, NetworkSettings: { Ports: {} },
});

const event = (name: string, health: string) => `${JSON.stringify({
  Type: 'container', Action: `health_status: ${health}`, Actor: { ID: 'x', Attributes: { name } },
})}\n`;

describe('health events: one engine stream for the node', () => {
  it('opens one filtered stream for every waiter, dispatches by container name, closes with the last waiter', async () => {
    const { docker, dials } = fakeEngine();
    const events = new HealthEvents(docker, 'node1', 'unix:///fake', () => 10_000);
    const a: HealthStatus[] = [];
    const b: HealthStatus[] = [];
    const subA = events.subscribe('web.1.a', (h) => a.push(h), () => undefined);
    const subB = events.subscribe('web.2.b', (h) => b.push(h), () => undefined);
    expect(dials).toHaveLength(1);
    const dial = dials[0]!;
    expect(dial.path).toBe('/events?');
    expect(JSON.parse(dial.query.filters!)).toEqual({ type: ['container'], event: ['health_status'], label: ['shoal.node.id=node1'] });
    expect(dial.query.since).toBe('8.000'); // replays the last 2 s: the engine answers before it subscribes

    let ready = false;
    void subA.ready.then(() => { ready = true; });
    await settle();
    expect(ready).toBe(false); // not before the engine has answered
    dial.answer();
    await settle();
    expect(ready).toBe(true);

    // Events may arrive cut anywhere, several in a chunk.
    const text = event('web.1.a', 'healthy') + event('other.1.c', 'unhealthy') + event('web.2.b', 'unhealthy');
    dial.body.write(text.slice(0, 20));
    dial.body.write(text.slice(20));
    await settle();
    expect(a).toEqual(['healthy']);
    expect(b).toEqual(['unhealthy']);

    subA.close();
    expect(events.stats()).toEqual({ listeners: 1, open: true });
    subB.close();
    subB.close(); // idempotent
    expect(events.stats()).toEqual({ listeners: 0, open: false });
    expect(dial.signal.aborted).toBe(true);
    await settle();
  });

  it('a broken stream fails every waiter as an engine outage; the next waiter opens a new one', async () => {
    const { docker, dials } = fakeEngine();
    const events = new HealthEvents(docker, 'node1', 'unix:///fake');
    const errors: Error[] = [];
    events.subscribe('web.1.a', () => undefined, (err) => errors.push(err));
    events.subscribe('web.2.b', () => undefined, (err) => errors.push(err));
    dials[0]!.answer();
    await settle();
    dials[0]!.body.destroy();
    await settle();
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e instanceof UnavailableError)).toBe(true);
    expect(events.stats()).toEqual({ listeners: 0, open: false });

    const sub = events.subscribe('web.1.a', () => undefined, () => undefined);
    expect(dials).toHaveLength(2);
    sub.close();
    expect(dials[1]!.signal.aborted).toBe(true);
  });

  it('an engine that cannot be reached rejects ready and tells the waiter', async () => {
    const { docker, dials } = fakeEngine();
    const events = new HealthEvents(docker, 'node1', 'unix:///fake');
    const errors: Error[] = [];
    const sub = events.subscribe('web.1.a', () => undefined, (err) => errors.push(err));
    dials[0]!.answer(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await expect(sub.ready).rejects.toThrow(/ECONNREFUSED/);
    await settle();
    expect(errors[0]).toBeInstanceOf(UnavailableError);
    expect(events.stats().open).toBe(false);
  });
});

describe('DockerController.healthChange', () => {
  function controller() {
    const engine = fakeEngine();
    const task = makeTask();
    const c = new DockerController(engine.docker, task, { id: 'node1', advertise: '127.0.0.1' }, 'unix:///fake', {} as ImagePuller);
    return { ...engine, c, events: healthEvents(engine.docker, 'node1', 'unix:///fake') };
  }

  it('subscribes first, then inspects; a health already different answers at once', async () => {
    const h = controller();
    const result = h.c.healthChange('starting', new AbortController().signal);
    await settle();
    expect(h.inspects).toHaveLength(0); // not before the stream is there
    h.dials[0]!.answer();
    await settle();
    expect(h.inspects).toHaveLength(1);
    h.inspects[0]!.resolve(info('healthy'));
    await expect(result).resolves.toBe('healthy');
    expect(h.events.stats()).toEqual({ listeners: 0, open: false });
  });

  it('a change between the subscription and the inspect comes from the stream', async () => {
    const h = controller();
    const result = h.c.healthChange('starting', new AbortController().signal);
    h.dials[0]!.answer();
    await settle();
    h.dials[0]!.body.write(event('web.1.task1', 'unhealthy'));
    await settle();
    h.inspects[0]!.resolve(info('starting')); // read before the change
    await expect(result).resolves.toBe('unhealthy');
    expect(h.events.stats().listeners).toBe(0);
  });

  it('waits for a change, ignoring events that repeat the known health; an abort releases everything', async () => {
    const h = controller();
    const abort = new AbortController();
    const result = h.c.healthChange('healthy', abort.signal);
    h.dials[0]!.answer();
    await settle();
    h.inspects[0]!.resolve(info('healthy'));
    h.dials[0]!.body.write(event('web.1.task1', 'healthy'));
    await settle();
    expect(h.events.stats()).toEqual({ listeners: 1, open: true });
    abort.abort();
    await expect(result).rejects.toThrow(/stopped waiting/);
    expect(h.events.stats()).toEqual({ listeners: 0, open: false });
    expect(h.dials[0]!.signal.aborted).toBe(true);
  });

  it('a container that has stopped gives no verdict: the wait lasts until aborted (its exit is wait()\'s)', async () => {
    const h = controller();
    const abort = new AbortController();
    const result = h.c.healthChange('starting', abort.signal);
    h.dials[0]!.answer();
    await settle();
    const exited = info('unhealthy');
    h.inspects[0]!.resolve({ ...exited, State: { ...exited.State, Running: false, ExitCode: 1 } });
    let settled = false;
    void result.then(() => { settled = true; }, () => { settled = true; });
    await settle();
    expect(settled).toBe(false);
    abort.abort();
    await expect(result).rejects.toThrow(/stopped waiting/);
    expect(h.events.stats().open).toBe(false);
  });

  it('a container that is gone is an error', async () => {
    const h = controller();
    const result = h.c.healthChange('starting', new AbortController().signal);
    h.dials[0]!.answer();
    await settle();
    h.inspects[0]!.reject(Object.assign(new Error('no such container'), { statusCode: 404 }));
    await expect(result).rejects.toBeInstanceOf(NotFoundError);
    expect(h.events.stats().listeners).toBe(0);
  });
});
