import { eventsKeptSince, GrpcStatus, grpcCode, grpcErrorMessage, isTransportFailure, type Event, type EventsRequest } from '@shoal/api';
import type { ClientReadableStream, Metadata } from '@grpc/grpc-js';
import type { Command } from 'commander';
import { Control } from '../client.js';
import { collect, hostOf, type Deps } from '../context.js';
import { CliError } from '../errors.js';
import { eventFormat, formatEvent } from '../format/events.js';
import { grpcTarget } from '../parse/host.js';
import { eventsRequest } from '../parse/events.js';

/** A broken stream is opened again, after the last index seen, for this long before the command gives up. */
export const RECONNECT_MS = 10_000;
const RETRY_MS = [100, 250, 500, 1_000];

interface Flags {
  filter?: string[];
  since?: string;
  format?: string;
}

export function registerEvents(program: Command, deps: Deps): void {
  program.command('events')
    .description('Stream the create, update and remove events of services, nodes and tasks')
    .option('-f, --filter <filter>', 'Filter events: type=service|node|task, service=NAME, node=NAME, event=create|update|remove (repeatable)', collect)
    .option('--since <time>', 'Replay the events since a time (2013-01-02T13:23:37Z, unix seconds) or for a duration (42m)')
    .option('--format <format>', 'json (one JSON object per line), or a template such as "{{.Type}} {{.Action}}"')
    .action(async (flags: Flags, cmd: Command) => {
      const req = eventsRequest(flags.filter ?? [], flags.since, deps.now());
      const format = eventFormat(flags.format);
      const host = hostOf(cmd, deps);
      grpcTarget(host); // a malformed --host is a usage error, reported before anything else
      const control = new Control(host);
      try {
        await followEvents((r) => control.events(r), req, (e) => deps.out.out(formatEvent(e, format)), {
          host, now: deps.now, warn: (line) => deps.out.err(line),
        });
      } finally {
        control.close();
      }
    });
}

export interface FollowOptions {
  host: string;
  now: () => number;
  reconnectMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Registers what ends the stream quietly (Ctrl-C); returns its removal. */
  onInterrupt?: (stop: () => void) => () => void;
  /** Where a notice goes that events asked for are no longer kept (stderr). */
  warn?: (line: string) => void;
}

type Outcome = { kind: 'stopped' } | { kind: 'broken'; err: unknown; connected: boolean } | { kind: 'refused'; err: unknown };

/**
 * Prints events until interrupted. A manager that cannot be reached for the first stream fails the command at once.
 * A stream that breaks (its manager restarted or unreachable, or it ended) is
 * opened again after the last index printed — the same index on every manager — for RECONNECT_MS; then the command
 * fails with one line. A refusal of the request itself (bad input) fails at once.
 */
export async function followEvents(
  open: (req: EventsRequest) => ClientReadableStream<Event>, first: EventsRequest, print: (e: Event) => void, opts: FollowOptions,
): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const onInterrupt = opts.onInterrupt ?? sigint;
  const reconnectMs = opts.reconnectMs ?? RECONNECT_MS;
  let lastIndex = first.afterIndex;
  // Without an event seen yet, a reconnect replays from when the command started (or its --since).
  const startedAt = first.since > 0 ? first.since : opts.now();
  let interrupted = false;
  let current: ClientReadableStream<Event> | undefined;
  const removeInterrupt = onInterrupt(() => { interrupted = true; current?.cancel(); });
  try {
    let brokenSince: number | undefined;
    let attempt = 0;
    let lastErr: unknown;
    let everConnected = false;
    for (;;) {
      const req: EventsRequest = lastIndex > 0
        ? { ...first, afterIndex: lastIndex, since: 0 }
        : { ...first, since: brokenSince === undefined ? first.since : startedAt };
      const outcome = await new Promise<Outcome>((resolve) => {
        let connected = false;
        const stream = open(req);
        current = stream;
        stream.on('metadata', (metadata: Metadata) => {
          connected = true;
          const keptSince = eventsKeptSince(metadata);
          if (keptSince !== undefined) opts.warn?.(missingLine(req, keptSince));
        });
        stream.on('data', (e: Event) => {
          connected = true;
          if (e.index <= lastIndex) return; // already printed before a reconnect
          lastIndex = e.index;
          print(e);
        });
        stream.on('error', (err) => {
          if (interrupted) resolve({ kind: 'stopped' });
          else if (refusal(err)) resolve({ kind: 'refused', err });
          else resolve({ kind: 'broken', err, connected });
        });
        stream.on('end', () => resolve(interrupted ? { kind: 'stopped' } : { kind: 'broken', err: undefined, connected }));
      });
      current = undefined;
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'refused') throw outcome.err;
      // A manager that cannot be reached at all is said at once, as every other command says it.
      if (!everConnected && !outcome.connected && outcome.err !== undefined) throw outcome.err;
      if (outcome.connected) { everConnected = true; brokenSince = undefined; attempt = 0; }
      lastErr = outcome.err ?? lastErr;
      brokenSince ??= opts.now();
      if (opts.now() - brokenSince >= reconnectMs) throw lostStream(lastErr, opts.host, reconnectMs);
      await sleep(RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!);
      if (interrupted) return;
    }
  } finally {
    removeInterrupt();
  }
}

/** The notice that a stream's manager no longer keeps some of the events asked for (it keeps the latest N). */
function missingLine(req: EventsRequest, keptSince: number): string {
  const kept = `the manager keeps events since ${new Date(keptSince).toISOString()} only`;
  return req.afterIndex > 0
    ? `Warning: some events may be missing: ${kept}, and dropped some that came after the last one printed before the stream resumed`
    : `Warning: some events asked for are missing: ${kept}`;
}

/** Errors that a retry would only repeat: the request itself was refused. */
function refusal(err: unknown): boolean {
  const code = grpcCode(err);
  return code === GrpcStatus.INVALID_ARGUMENT || code === GrpcStatus.UNIMPLEMENTED || code === GrpcStatus.PERMISSION_DENIED
    || code === GrpcStatus.UNAUTHENTICATED;
}

function lostStream(err: unknown, host: string, ms: number): CliError {
  const why = err === undefined ? 'the manager ended the stream' : isTransportFailure(err) ? `cannot reach manager at ${host}` : grpcErrorMessage(err);
  return new CliError(`lost the event stream and could not resume it for ${ms / 1000} s: ${why}`);
}

function sigint(stop: () => void): () => void {
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); };
}
