import type Dockerode from 'dockerode';
import type { HealthStatus } from '../exec/controller.js';
import { LABEL_NODE_ID } from './container-config.js';
import { engineError } from './errors.js';
import { dialStream, readToEnd } from './response.js';

const HEALTH_EVENT = 'health_status';
/**
 * The engine answers GET /events before it has registered the subscription, so an event between the two would be
 * lost: the stream asks for the events of the last seconds too (the engine keeps its recent events). A replayed
 * event only ever repeats a change that did happen.
 */
const REPLAY_MS = 2_000;

/**
 * The health of an inspected container: '' when it has no check (none, or disabled with NONE). Only a running
 * container's health is a verdict: before the start (the engine adds State.Health then) and after the exit (the
 * engine marks a stopped check 'unhealthy', without an event) a container with a check is 'starting'.
 */
export function healthOf(info: Pick<Dockerode.ContainerInspectInfo, 'State' | 'Config'>): HealthStatus {
  const test = info.Config?.Healthcheck?.Test ?? [];
  const hasCheck = !!info.State.Health || (test.length > 0 && test[0] !== 'NONE');
  if (!hasCheck) return '';
  return info.State.Running && info.State.Health ? asHealth(info.State.Health.Status) : 'starting';
}

function asHealth(status: string): HealthStatus {
  return status === 'healthy' || status === 'unhealthy' ? status : 'starting';
}

/** One event of the engine's stream, as far as health goes. */
interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** The container name and health of a `health_status: …` event, or undefined for any other line. */
export function parseHealthEvent(line: string): { name: string; health: HealthStatus } | undefined {
  let event: EngineEvent;
  try {
    event = JSON.parse(line) as EngineEvent;
  } catch {
    return undefined;
  }
  const action = event.Action ?? '';
  const name = event.Actor?.Attributes?.name;
  if (event.Type !== 'container' || !action.startsWith(`${HEALTH_EVENT}:`) || !name) return undefined;
  return { name, health: asHealth(action.slice(HEALTH_EVENT.length + 1).trim()) };
}

export interface HealthSubscription {
  /** Resolves once the engine streams events (subscribe, then inspect: nothing in between is missed). */
  ready: Promise<void>;
  close(): void;
}

interface Listener {
  onHealth(health: HealthStatus): void;
  onError(err: Error): void;
}

/**
 * The health changes of this node's containers, from one `GET /events` stream shared by every task (filtered by
 * the node's label), open only while some task waits on it. The engine reports a change, never each probe, so
 * the stream is quiet. When it breaks, every waiter gets the error (the engine is probably gone; its runner waits
 * for it and subscribes again).
 */
export class HealthEvents {
  private readonly listeners = new Map<string, Set<Listener>>();
  private count = 0;
  private stream: { abort: AbortController; ready: Promise<void> } | undefined;

  constructor(
    private readonly docker: Dockerode,
    private readonly nodeId: string,
    private readonly host: string,
    /** Wall-clock time for the engine's `since` (the engine's clock, not one tests control). */
    private readonly now: () => number = Date.now,
  ) {}

  /** How many waiters, and whether the stream is open: for tests and leak checks. */
  stats(): { listeners: number; open: boolean } {
    return { listeners: this.count, open: !!this.stream };
  }

  subscribe(name: string, onHealth: (health: HealthStatus) => void, onError: (err: Error) => void): HealthSubscription {
    const listener: Listener = { onHealth, onError };
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    this.count++;
    const stream = (this.stream ??= this.open());
    let closed = false;
    return {
      ready: stream.ready,
      close: () => {
        if (closed) return;
        closed = true;
        this.remove(name, listener);
      },
    };
  }

  private remove(name: string, listener: Listener): void {
    const set = this.listeners.get(name);
    if (!set?.delete(listener)) return;
    this.count--;
    if (set.size === 0) this.listeners.delete(name);
    if (this.count === 0) this.closeStream();
  }

  private closeStream(): void {
    const stream = this.stream;
    this.stream = undefined;
    stream?.abort.abort();
  }

  private open(): { abort: AbortController; ready: Promise<void> } {
    const abort = new AbortController();
    const filters = { type: ['container'], event: [HEALTH_EVENT], label: [`${LABEL_NODE_ID}=${this.nodeId}`] };
    const since = ((this.now() - REPLAY_MS) / 1000).toFixed(3);
    const body = dialStream(this.docker, {
      path: '/events?',
      method: 'GET',
      options: { _query: { filters: JSON.stringify(filters), since } },
      abortSignal: abort.signal,
      statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
    });
    const stream = { abort, ready: body.then(() => undefined) };
    void body.then((res) => {
      let rest = '';
      return readToEnd(res, (chunk) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) this.dispatch(line);
      }).then(() => {
        throw Object.assign(new Error('the engine ended its event stream'), { code: 'ECONNRESET' });
      });
    }).catch((err: unknown) => {
      if (abort.signal.aborted) return; // closed on purpose: nobody waits any more
      this.fail(stream, engineError(err, this.host));
    });
    // A failed connection is reported through the listeners (fail); ready's own rejection is for subscribers.
    stream.ready.catch(() => undefined);
    return stream;
  }

  private dispatch(line: string): void {
    const event = parseHealthEvent(line);
    if (!event) return;
    for (const listener of [...(this.listeners.get(event.name) ?? [])]) listener.onHealth(event.health);
  }

  /** The stream broke: every waiter learns it, and the next subscriber opens a new one. */
  private fail(stream: { abort: AbortController }, err: Error): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    stream.abort.abort();
    const listeners = [...this.listeners.values()].flatMap((set) => [...set]);
    this.listeners.clear();
    this.count = 0;
    for (const listener of listeners) listener.onError(err);
  }
}

const shared = new WeakMap<Dockerode, Map<string, HealthEvents>>();

/** The one HealthEvents of a node on an engine client, shared by all of its tasks' controllers. */
export function healthEvents(docker: Dockerode, nodeId: string, host: string): HealthEvents {
  let byNode = shared.get(docker);
  if (!byNode) shared.set(docker, (byNode = new Map()));
  let events = byNode.get(nodeId);
  if (!events) byNode.set(nodeId, (events = new HealthEvents(docker, nodeId, host)));
  return events;
}
