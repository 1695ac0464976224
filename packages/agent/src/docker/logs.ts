import type Dockerode from 'dockerode';
import type { LogEntry, LogQuery, LogStreamName } from '../exec/executor.js';
import { engineError } from './errors.js';
import { dialStream, readToEnd } from './response.js';

const HEADER_BYTES = 8;
const STREAMS: Record<number, LogStreamName> = { 1: 'stdout', 2: 'stderr' };

/**
 * Splits the engine's multiplexed log stream (frames with an 8-byte header: stream, 0, 0, 0, big-endian length)
 * into lines per stream. Frames and lines may be cut anywhere between chunks.
 */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly partial: Record<LogStreamName, Buffer[]> = { stdout: [], stderr: [] };

  constructor(private readonly emit: (stream: LogStreamName, line: string) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (this.pending.length < HEADER_BYTES) return;
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + size) return;
      const stream = STREAMS[this.pending[0] ?? 0];
      const payload = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + size);
      this.pending = this.pending.subarray(HEADER_BYTES + size);
      if (stream) this.lines(stream, payload);
    }
  }

  /** Emits the unterminated last line of each stream. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream].length) this.emit(stream, Buffer.concat(this.partial[stream].splice(0)).toString('utf8'));
    }
  }

  private lines(stream: LogStreamName, payload: Buffer): void {
    let start = 0;
    for (let nl = payload.indexOf(10, start); nl >= 0; nl = payload.indexOf(10, start)) {
      const parts = this.partial[stream].splice(0);
      parts.push(payload.subarray(start, nl));
      this.emit(stream, Buffer.concat(parts).toString('utf8').replace(/\r$/, ''));
      start = nl + 1;
    }
    if (start < payload.length) this.partial[stream].push(Buffer.from(payload.subarray(start)));
  }
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) ?/;

/** Splits "2024-01-02T03:04:05.123456789Z text" (the engine's timestamps=true prefix) into ns and text. */
export function parseTimestamped(raw: string): { timestampNs: number; line: string } {
  const m = TIMESTAMP.exec(raw);
  if (!m) return { timestampNs: 0, line: raw };
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return { timestampNs: 0, line: raw };
  const fractionNs = Number((m[2] ?? '').padEnd(9, '0'));
  return { timestampNs: ms * 1e6 + fractionNs, line: raw.slice(m[0].length) };
}

/** The engine's `since` parameter: unix seconds with a fraction. */
export function sinceParam(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * Streams a container's log lines (both streams, with their timestamps) to onEntry. Resolves when the logs end:
 * at once without follow, when the container stops with follow, or when signal aborts.
 */
export async function streamContainerLogs(
  docker: Dockerode, container: string, query: LogQuery, onEntry: (entry: LogEntry) => void, signal: AbortSignal, host: string,
): Promise<void> {
  const demuxer = new LogDemuxer((stream, raw) => onEntry({ stream, ...parseTimestamped(raw) }));
  const options = {
    stdout: true, stderr: true, timestamps: true,
    ...(query.tail >= 0 ? { tail: query.tail } : {}),
    ...(query.since > 0 ? { since: sinceParam(query.since) } : {}),
  };
  try {
    // Without follow the engine answers the whole log at once; with follow, until the container stops.
    const body = await dialStream(docker, {
      path: `/containers/${encodeURIComponent(container)}/logs?`,
      method: 'GET',
      options: { ...options, follow: query.follow },
      abortSignal: signal,
      statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
    });
    await readToEnd(body, (chunk) => demuxer.push(chunk));
    demuxer.end();
  } catch (err) {
    if (signal.aborted) return;
    throw engineError(err, host);
  }
}
