// An agent's Session stream as the dispatcher tests drive it: send messages, await the manager's next one, and
// see how the stream ended.
import {
  dispatcherClient, type AgentMessageInput, type ClientDuplexStream, type ManagerMessage, type ServiceError,
} from '@shoal/api';

export interface AgentSession {
  send(m: AgentMessageInput): void;
  /** The manager's next message, in order. */
  next(): Promise<ManagerMessage>;
  /** Messages received and not yet taken by next(). */
  readonly inbox: ManagerMessage[];
  /** How the manager ended the stream: its error, or null for a clean end. */
  readonly closed: Promise<ServiceError | null>;
  end(): void;
}

export function openAgentSession(addr: string): AgentSession {
  const client = dispatcherClient(addr);
  const stream = client.Session() as unknown as ClientDuplexStream<AgentMessageInput, ManagerMessage>;
  const inbox: ManagerMessage[] = [];
  const waiters: Array<(m: ManagerMessage) => void> = [];
  stream.on('data', (m: ManagerMessage) => { const w = waiters.shift(); if (w) w(m); else inbox.push(m); });
  const closed = new Promise<ServiceError | null>((resolve) => {
    stream.on('error', (e: ServiceError) => resolve(e));
    stream.on('end', () => resolve(null));
  });
  return {
    send: (m) => { stream.write(m); },
    next: () => new Promise<ManagerMessage>((resolve) => { const m = inbox.shift(); if (m) resolve(m); else waiters.push(resolve); }),
    inbox,
    closed,
    end: () => { stream.cancel(); client.close(); },
  };
}
