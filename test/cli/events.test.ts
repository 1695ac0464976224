// `shoal events`: its flags become a request (bad input refused with one line), events print as docker prints them,
// and a broken stream resumes after the last index seen.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { eventsMetadata, GrpcStatus, type Event, type EventsRequest } from '@shoal/api';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { eventsRequest } from '../../packages/cli/src/parse/events.js';
import { eventFormat, eventJson, eventLine, formatEvent } from '../../packages/cli/src/format/events.js';
import { followEvents } from '../../packages/cli/src/commands/events.js';
import { captureOutput } from '../../packages/cli/src/output.js';
import { run } from '../../packages/cli/src/run.js';

const NOW = Date.parse('2026-11-22T22:50:07.123Z');

const event = (over: Partial<Event> = {}): Event => ({
  index: 5_000_001, time: NOW, type: 'task', action: 'update', id: '3f2a9c', name: 'web.1',
  attributes: { service: 'web', node: 'n1', state: 'running', desired: 'running' }, ...over,
});

describe('events flags', () => {
  it('builds the request from filters and --since', () => {
    expect(eventsRequest(['type=task', 'type=service', 'service=web', 'node=host-1', 'event=update'], '10m', NOW)).toEqual({
      since: NOW - 600_000, afterIndex: 0, types: ['task', 'service'], services: ['web'], nodes: ['host-1'], actions: ['update'],
    });
    expect(eventsRequest([], '1h30m', NOW).since).toBe(NOW - 5_400_000);
    expect(eventsRequest([], '2026-11-22T22:00:00Z', NOW).since).toBe(Date.parse('2026-11-22T22:00:00Z'));
    expect(eventsRequest([], '1700000000', NOW).since).toBe(1_700_000_000_000);
    expect(eventsRequest([], undefined, NOW)).toEqual({ since: 0, afterIndex: 0, types: [], services: [], nodes: [], actions: [] });
  });

  it.each([
    [['container=x'], undefined, 'invalid filter key "container": use one of type, service, node, event'],
    [['type=volume'], undefined, 'invalid event type "volume": use service, node, task'],
    [['event=start'], undefined, 'invalid event "start": use create, update, remove'],
    [['service='], undefined, 'invalid filter "service=": give a service id or name'],
    [['web'], undefined, 'invalid filter "web": use KEY=VALUE with KEY one of type, service, node, event'],
    [[], 'yesterday', 'invalid since "yesterday": use a duration (42m), an RFC 3339 time (2013-01-02T13:23:37Z) or unix seconds'],
  ])('refuses %j --since %s', (filters, since, message) => {
    expect(() => eventsRequest(filters, since, NOW)).toThrow(message);
  });

  it.each([
    [['events', '--filter', 'type=container'], 'Error: invalid event type "container": use service, node, task'],
    [['events', '--filter', 'color=red'], 'Error: invalid filter key "color": use one of type, service, node, event'],
    [['events', '--since', 'soon'], 'Error: invalid since "soon": use a duration (42m), an RFC 3339 time (2013-01-02T13:23:37Z) or unix seconds'],
    [['events', '--format', 'yaml'], 'Error: invalid format "yaml": use json, or a template such as "{{.Type}} {{.Action}}" or "{{json .}}"'],
    [['events', '--format', '{{.Colour}}'], 'Error: invalid format: no field "Colour" in the event message; its fields are Type, Action, Actor, scope, time, timeNano'],
  ])('`shoal %s` prints one line and exits 1 before connecting', async (argv, line) => {
    const out = captureOutput();
    const code = await run(argv, { out, env: { SHOAL_HOST: '127.0.0.1:1' }, home: '/home/u', now: () => NOW });
    expect(code).toBe(1);
    expect(out.stderr).toEqual([line]);
    expect(out.stdout).toEqual([]);
  });
});

describe('events output', () => {
  it('prints docker\'s line: fixed nanosecond time, type, action, id, sorted attributes with the name', () => {
    expect(eventLine(event())).toBe(
      '2026-11-22T22:50:07.123000000Z task update 3f2a9c (desired=running, name=web.1, node=n1, service=web, state=running)');
    expect(eventLine(event({ attributes: {}, name: '' }))).toBe('2026-11-22T22:50:07.123000000Z task update 3f2a9c');
  });

  it('prints docker\'s JSON message, timeNano exact', () => {
    const line = eventJson(event({ time: 1_700_000_000_123 }));
    expect(line).toContain('"timeNano":1700000000123000000}');
    expect(JSON.parse(line)).toMatchObject({
      Type: 'task', Action: 'update', Actor: { ID: '3f2a9c', Attributes: { name: 'web.1', service: 'web' } }, scope: 'swarm', time: 1_700_000_000,
    });
    expect(Object.keys(JSON.parse(line) as object)).toEqual(['Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  });

  it('renders a template of the message\'s fields', () => {
    expect(formatEvent(event(), eventFormat('{{.Type}} {{.Action}} {{.time}}'))).toBe(`task update ${Math.floor(NOW / 1000)}`);
    expect(JSON.parse(formatEvent(event(), eventFormat('{{json .}}'))) as object).toMatchObject({ Type: 'task', scope: 'swarm' });
    expect(() => eventFormat('table {{.Type}}')).toThrow(/not a table/);
    expect(formatEvent(event(), eventFormat('{{.Actor.ID}}\t{{.Actor.Attributes.name}} {{.Actor.Attributes.state}} {{.Actor.Attributes.slot}}')))
      .toBe('3f2a9c\tweb.1 running <no value>'); // an attribute the event lacks, as docker's Go templates print it
    expect(JSON.parse(formatEvent(event(), eventFormat('{{json .Actor}}'))) as object).toEqual({ ID: '3f2a9c', Attributes: { desired: 'running', name: 'web.1', node: 'n1', service: 'web', state: 'running' } });
    expect(formatEvent(event({ time: 1_700_000_000_123 }), eventFormat('{{.timeNano}} {{json .timeNano}}'))).toBe('1700000000123000000 1700000000123000000');
    expect(formatEvent(event(), eventFormat('{{json .}}'))).toBe(eventJson(event()));
    expect(() => eventFormat('{{.Name}}')).toThrow('invalid format: no field "Name" in the event message; its fields are Type, Action, Actor, scope, time, timeNano');
    expect(() => eventFormat('{{.Actor.Name}}')).toThrow('invalid format: no field "Name" in .Actor; its fields are ID, Attributes');
    expect(() => eventFormat('{{.Type.x}}')).toThrow('invalid format: .Type has no fields');
    expect(() => eventFormat('{{.Actor.Attributes.name.x}}')).toThrow('invalid format: .Actor.Attributes.name has no fields');
    expect(() => eventFormat('{{range .Actor}}x{{end}}')).toThrow(/^invalid format "\{\{range \.Actor\}\}x\{\{end\}\}": use paths into docker's event message/);
    expect(eventFormat(undefined)).toBe('line');
    expect(eventFormat('json')).toBe('json');
  });
});

class FakeStream extends EventEmitter {
  cancelled = false;
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    queueMicrotask(() => this.emit('error', Object.assign(new Error('cancelled'), { code: GrpcStatus.CANCELLED })));
  }
}

describe('followEvents', () => {
  const unavailable = () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: GrpcStatus.UNAVAILABLE, details: 'No connection established' });

  it('resumes a broken stream after the last index seen, skipping what it printed already, and stops quietly on interrupt', async () => {
    const requests: EventsRequest[] = [];
    const streams: FakeStream[] = [];
    const printed: number[] = [];
    let interrupt: () => void = () => undefined;
    let now = NOW;
    const done = followEvents(
      (req) => { requests.push(req); const s = new FakeStream(); streams.push(s); return s as unknown as ClientReadableStream<Event>; },
      { since: 0, afterIndex: 0, types: ['task'], services: [], nodes: [], actions: [] },
      (e) => printed.push(e.index),
      { host: 'h', now: () => now, sleep: async () => { now += 100; }, onInterrupt: (stop) => { interrupt = stop; return () => undefined; } },
    );
    await Promise.resolve();
    streams[0]!.emit('metadata');
    streams[0]!.emit('data', event({ index: 10 }));
    streams[0]!.emit('data', event({ index: 11 }));
    streams[0]!.emit('error', unavailable());
    await new Promise((r) => setTimeout(r, 0));
    expect(requests[1]).toMatchObject({ afterIndex: 11, since: 0, types: ['task'] });
    streams[1]!.emit('data', event({ index: 11 }));
    streams[1]!.emit('data', event({ index: 12 }));
    interrupt();
    await done;
    expect(printed).toEqual([10, 11, 12]);
  });

  it('warns on stderr when the manager no longer keeps events asked for: by --since, or after the last one printed', async () => {
    const streams: FakeStream[] = [];
    const warnings: string[] = [];
    let interrupt: () => void = () => undefined;
    let now = NOW;
    const done = followEvents(
      () => { const s = new FakeStream(); streams.push(s); return s as unknown as ClientReadableStream<Event>; },
      { since: NOW - 60_000, afterIndex: 0, types: [], services: [], nodes: [], actions: [] },
      () => undefined,
      { host: 'h', now: () => now, sleep: async () => { now += 100; }, onInterrupt: (stop) => { interrupt = stop; return () => undefined; }, warn: (l) => warnings.push(l) },
    );
    await Promise.resolve();
    streams[0]!.emit('metadata', eventsMetadata(Date.UTC(2026, 10, 23, 9, 40)));
    streams[0]!.emit('data', event({ index: 10 }));
    streams[0]!.emit('error', unavailable());
    await new Promise((r) => setTimeout(r, 0));
    streams[1]!.emit('metadata', eventsMetadata()); // resumed with nothing dropped: nothing said
    streams[1]!.emit('error', unavailable());
    await new Promise((r) => setTimeout(r, 0));
    streams[2]!.emit('metadata', eventsMetadata(Date.UTC(2026, 10, 23, 9, 41)));
    interrupt();
    await done;
    expect(warnings).toEqual([
      'Warning: some events asked for are missing: the manager keeps events since 2026-11-23T09:40:00.000Z only',
      'Warning: some events may be missing: the manager keeps events since 2026-11-23T09:41:00.000Z only, and dropped some that came after the last one printed before the stream resumed',
    ]);
  });

  it('gives up with one line after trying for the reconnect window, and fails at once on a refusal', async () => {
    let now = NOW;
    let opened = 0;
    /** The first stream opens, then breaks; every later one fails. */
    const failing = (err: () => Error) => () => {
      const s = new FakeStream();
      const first = opened++ === 0;
      queueMicrotask(() => { if (first) s.emit('metadata'); s.emit('error', err()); });
      return s as unknown as ClientReadableStream<Event>;
    };
    const opts = { host: '127.0.0.1:9', now: () => now, sleep: async (ms: number) => { now += ms; }, onInterrupt: () => () => undefined };
    const req: EventsRequest = { since: 0, afterIndex: 0, types: [], services: [], nodes: [], actions: [] };
    await expect(followEvents(failing(unavailable), req, () => undefined, opts))
      .rejects.toThrow('lost the event stream and could not resume it for 10 s: cannot reach manager at 127.0.0.1:9');
    const invalid = () => Object.assign(new Error('bad'), { code: GrpcStatus.INVALID_ARGUMENT, details: 'invalid event type "x"' });
    await expect(followEvents(failing(invalid), req, () => undefined, opts)).rejects.toMatchObject({ details: 'invalid event type "x"' });
    expect(opened).toBeGreaterThan(5); // retried through the window, then the refusal once
  });

  it('fails at once when the manager cannot be reached for the first stream', async () => {
    let opened = 0;
    const open = () => {
      opened++;
      const s = new FakeStream();
      queueMicrotask(() => s.emit('error', unavailable()));
      return s as unknown as ClientReadableStream<Event>;
    };
    const req: EventsRequest = { since: 0, afterIndex: 0, types: [], services: [], nodes: [], actions: [] };
    await expect(followEvents(open, req, () => undefined, { host: 'h', now: () => NOW, sleep: async () => undefined, onInterrupt: () => () => undefined }))
      .rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
    expect(opened).toBe(1);
  });
});
