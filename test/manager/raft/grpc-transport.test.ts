import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import {
  addRaftService, bindServer, grpcCode, grpcErrorMessage, GrpcStatus, newServer, raftClient, stopServer, type GrpcServer,
  type RaftEnvelope, type RaftEnvelopeInput,
} from '@shoal/api';
import { newMessage, type Message, type NodeId } from '../../../packages/manager/src/raft/core/index.js';
import { GrpcRaftTransport } from '../../../packages/manager/src/raft/grpc-transport.js';
import { encodeMessage } from '../../../packages/manager/src/raft/message-codec.js';
import type { LinkLimits, PeerMessage } from '../../../packages/manager/src/raft/peer-link.js';

const CLUSTER = 'cluster-a';
const logger = pino({ level: 'silent' });
const poll = { timeout: 10_000, interval: 10 };

interface Member {
  readonly id: NodeId;
  readonly transport: GrpcRaftTransport;
  readonly server: GrpcServer;
  readonly addr: string;
  readonly received: Message[];
  readonly unreachable: NodeId[];
}

const open: Member[] = [];

async function member(id: NodeId, listen = '127.0.0.1:0', limits: Partial<LinkLimits> = {}): Promise<Member> {
  const transport = new GrpcRaftTransport({ id, clusterId: CLUSTER, logger, limits: { backoffInitialMs: 20, backoffMaxMs: 200, ...limits } });
  const server = newServer();
  transport.register(server);
  const port = await bindServer(server, listen);
  const m: Member = { id, transport, server, addr: `127.0.0.1:${port}`, received: [], unreachable: [] };
  await transport.start({ deliver: (msg) => m.received.push(msg), onUnreachable: (peer) => m.unreachable.push(peer) });
  open.push(m);
  return m;
}

/** Every member knows every other one, as the driver does from the membership. */
function connect(...members: Member[]): void {
  for (const a of members) for (const b of members) if (a !== b) a.transport.setPeer(b.id, b.addr);
}

async function shutdown(m: Member): Promise<void> {
  open.splice(open.indexOf(m), 1);
  await m.transport.stop();
  await stopServer(m.server, 100);
}

afterEach(async () => {
  await Promise.all([...open].map(shutdown));
});

/** Writes one envelope on a raw stream and returns the status the receiver ended it with. */
async function rawSend(addr: string, envelope: RaftEnvelopeInput): Promise<{ code: number | undefined; details: string }> {
  const client = raftClient(addr);
  try {
    return await new Promise((resolve) => {
      const call = client.Stream((err) => resolve({ code: err ? grpcCode(err) : GrpcStatus.OK, details: err ? grpcErrorMessage(err) : '' }));
      call.write(envelope);
    });
  } finally {
    client.close();
  }
}

const appendFrom = (from: NodeId, to: NodeId, index: number, data: Uint8Array): PeerMessage =>
  newMessage({ type: 'append', from, to, term: 2, logTerm: 2, index: index - 1, commit: index - 1, entries: [{ term: 2, index, type: 'normal', data }] }) as PeerMessage;

describe('gRPC raft transport', () => {
  // First, so that no socket of an earlier test is still closing while this one counts them.
  it('stop() ends every stream: the servers then shut down gracefully, and no socket or timer is left', { timeout: 20_000 }, async () => {
    const baseline = handles();
    const [a, b, c] = await Promise.all([member('a'), member('b'), member('c')]);
    connect(a, b, c);
    for (const m of [a, b, c]) m.transport.send([a, b, c].filter((p) => p !== m).map((p) => newMessage({ type: 'heartbeat', from: m.id, to: p.id, term: 1 })));
    await vi.waitFor(() => expect([a, b, c].map((m) => m.received.length)).toEqual([2, 2, 2]), poll);
    expect(handles().sockets).toBeGreaterThan(baseline.sockets);

    await Promise.all([a, b, c].map((m) => m.transport.stop()));
    // A server with an open call would wait for it; tryShutdown completing within its grace proves none is left.
    for (const m of [a, b, c]) {
      open.splice(open.indexOf(m), 1);
      await new Promise<void>((resolve, reject) => {
        const hung = setTimeout(() => reject(new Error(`${m.id}: a raft stream is still open`)), 2_000);
        m.server.tryShutdown(() => { clearTimeout(hung); resolve(); });
      });
    }
    // Polled by hand: vi.waitFor's own timers would count.
    const settled = () => handles().sockets === baseline.sockets && handles().timers <= baseline.timers;
    for (let i = 0; i < 300 && !settled(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(handles().sockets).toBe(baseline.sockets);
    expect(handles().timers).toBeLessThanOrEqual(baseline.timers);
  });

  it('carries appends, snapshots and votes between three managers intact and in order', async () => {
    const [a, b, c] = await Promise.all([member('a'), member('b'), member('c')]);
    connect(a, b, c);
    const binary = new Uint8Array(256).map((_, i) => 255 - i);
    const toB: Message[] = [
      newMessage({ type: 'append', from: 'a', to: 'b', term: 3, logTerm: 2, index: 9, commit: 9, entries: [
        { term: 3, index: 10, type: 'normal', data: binary },
        { term: 3, index: 11, type: 'conf', data: new Uint8Array([0, 0, 1]) },
      ] }),
      newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 3, commit: 11 }),
      newMessage({ type: 'timeout-now', from: 'a', to: 'b', term: 3 }),
    ];
    const toC: Message[] = [
      newMessage({ type: 'snapshot', from: 'a', to: 'c', term: 3, snapshot: { metadata: { index: 11, term: 3, confState: { voters: ['a', 'b', 'c'] } }, data: binary } }),
    ];
    a.transport.send([toB[0]!, toC[0]!, toB[1]!]);
    a.transport.send([toB[2]!]);
    const votes = ['a', 'c'].map((to) => newMessage({ type: 'pre-vote', from: 'b', to, term: 4, logTerm: 3, index: 11 }));
    b.transport.send(votes);
    const answers = ['b', 'c'].map((from) => newMessage({ type: 'pre-vote-response', from, to: 'a', term: 4, reject: from === 'c' }));
    b.transport.send([answers[0]!]);
    c.transport.send([answers[1]!]);

    await vi.waitFor(() => {
      expect(b.received).toEqual(toB);
      expect(c.received).toEqual([...toC, votes[1]]);
      expect(a.received).toHaveLength(3);
    }, poll);
    expect(a.received).toEqual(expect.arrayContaining([votes[0], ...answers]));
    expect(a.received.indexOf(votes[0]!)).toBeLessThan(0); // delivered messages are decoded copies, not the objects sent
    expect([a, b, c].flatMap((m) => m.unreachable)).toEqual([]);
  });

  it('keeps order across many sends and batches, and reports the throughput of small appends', { timeout: 30_000 }, async () => {
    const [a, b] = await Promise.all([member('a'), member('b')]);
    connect(a, b);
    const total = 50_000;
    const perSend = 100;
    // Like a leader's in-flight limit: the sender stays this far ahead of what was delivered, so nothing overflows.
    const window = 2_000;
    const data = new Uint8Array(64).fill(7);
    const started = performance.now();
    for (let sent = 0; sent < total; sent += perSend) {
      while (sent - b.received.length >= window) await new Promise((r) => setImmediate(r));
      a.transport.send(Array.from({ length: perSend }, (_, k) => appendFrom('a', 'b', sent + k + 1, data)));
    }
    await vi.waitFor(() => expect(b.received.length).toBe(total), { timeout: 20_000, interval: 1 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`raft transport: ${total} appends of one 64-byte entry a -> b in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} messages/s`);
    expect(b.received.every((m, i) => m.index === i)).toBe(true);
    expect(a.unreachable).toEqual([]);
  });

  it('sends what one turn queued for a peer in as few envelopes as the batch limit allows', async () => {
    const envelopes: RaftEnvelope[] = [];
    const peer = newServer();
    addRaftService(peer, { Stream: (call, callback) => {
      call.on('data', (e: RaftEnvelope) => envelopes.push(e));
      call.on('end', () => callback(null, {}));
    } });
    const port = await bindServer(peer, '127.0.0.1:0');
    try {
      const a = await member('a', '127.0.0.1:0', { maxBatch: 100 });
      a.transport.setPeer('b', `127.0.0.1:${port}`);
      a.transport.send(Array.from({ length: 150 }, (_, i) => appendFrom('a', 'b', i + 1, new Uint8Array([i]))));
      a.transport.send(Array.from({ length: 100 }, (_, i) => appendFrom('a', 'b', i + 151, new Uint8Array([i]))));
      await vi.waitFor(() => expect(envelopes.flatMap((e) => e.messages)).toHaveLength(250), poll);
      expect(envelopes.map((e) => e.messages.length)).toEqual([100, 100, 50]);
      expect(envelopes.every((e) => e.clusterId === CLUSTER && e.from === 'a')).toBe(true);
    } finally {
      peer.forceShutdown();
    }
  });

  it('drops the oldest messages beyond the queue limit and reports the peer unreachable', async () => {
    const [a, b] = await Promise.all([member('a', '127.0.0.1:0', { maxQueue: 10 }), member('b')]);
    connect(a, b);
    a.transport.send(Array.from({ length: 50 }, (_, i) => appendFrom('a', 'b', i + 1, new Uint8Array([i]))));
    await vi.waitFor(() => expect(b.received).toHaveLength(10), poll);
    expect(b.received.map((m) => m.index)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
    expect(a.unreachable).toEqual(['b']);
  });

  it('reports a peer with no known address unreachable, and follows a peer to its new address', async () => {
    const [a, b1, b2] = await Promise.all([member('a'), member('b'), member('b')]);
    a.transport.send([newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 1 })]);
    await vi.waitFor(() => expect(a.unreachable).toEqual(['b']), poll);
    for (const b of [b1, b2]) b.transport.setPeer('a', a.addr);
    a.transport.setPeer('b', b1.addr);
    a.transport.send([newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 2 })]);
    await vi.waitFor(() => expect(b1.received).toHaveLength(1), poll);
    a.transport.setPeer('b', b2.addr);
    a.transport.send([newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 3 })]);
    await vi.waitFor(() => expect(b2.received.map((m) => m.term)).toEqual([3]), poll);
    expect(b1.received.map((m) => m.term)).toEqual([2]);
  });

  it('answers UNAVAILABLE until the transport is started', async () => {
    const transport = new GrpcRaftTransport({ id: 'b', clusterId: CLUSTER, logger });
    const server = newServer();
    transport.register(server);
    const port = await bindServer(server, '127.0.0.1:0');
    transport.setPeer('a', '127.0.0.1:1');
    try {
      const refused = await rawSend(`127.0.0.1:${port}`, { clusterId: CLUSTER, from: 'a', messages: [] });
      expect(refused).toEqual({ code: GrpcStatus.UNAVAILABLE, details: 'the raft transport of b is not running' });
    } finally {
      await transport.stop();
      await stopServer(server, 100);
    }
  });

  it('refuses a sender that is not a member, with PERMISSION_DENIED naming it, and the sender reports the peer unreachable', async () => {
    const [a, b] = await Promise.all([member('a'), member('b')]);
    a.transport.setPeer('b', b.addr); // b does not know a
    const refused = await rawSend(b.addr, { clusterId: CLUSTER, from: 'x', messages: [encodeMessage(appendFrom('x', 'b', 1, new Uint8Array()))] });
    expect(refused).toEqual({ code: GrpcStatus.PERMISSION_DENIED, details: 'not a member of this cluster: x' });

    a.transport.send([newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 1 })]);
    await vi.waitFor(() => expect(a.unreachable).toContain('b'), poll);
    expect(b.received).toEqual([]);
  });

  it('refuses a removed member', async () => {
    const [a, b] = await Promise.all([member('a'), member('b')]);
    connect(a, b);
    a.transport.send([newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 1 })]);
    await vi.waitFor(() => expect(b.received).toHaveLength(1), poll);
    b.transport.removePeer('a');
    a.transport.send([newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 1 })]);
    await vi.waitFor(() => expect(a.unreachable).toContain('b'), poll);
    expect(b.received).toHaveLength(1);
  });

  it('refuses another cluster with FAILED_PRECONDITION naming both cluster ids', async () => {
    const b = await member('b');
    b.transport.setPeer('a', '127.0.0.1:1');
    const refused = await rawSend(b.addr, { clusterId: 'cluster-z', from: 'a', messages: [] });
    expect(refused).toEqual({
      code: GrpcStatus.FAILED_PRECONDITION,
      details: `wrong cluster: the sender is in cluster cluster-z, this manager in cluster ${CLUSTER}`,
    });
  });

  it('refuses a malformed message with INVALID_ARGUMENT naming the field, delivering nothing of its envelope', async () => {
    const b = await member('b');
    b.transport.setPeer('a', '127.0.0.1:1');
    const good = encodeMessage(appendFrom('a', 'b', 1, new Uint8Array([1])));
    const gap = { ...encodeMessage(appendFrom('a', 'b', 3, new Uint8Array([3]))), index: 1 };
    const refused = await rawSend(b.addr, { clusterId: CLUSTER, from: 'a', messages: [good, gap] });
    expect(refused).toEqual({ code: GrpcStatus.INVALID_ARGUMENT, details: 'malformed raft message: messages[1].entries[0].index 3 does not follow 1' });
    const untyped = await rawSend(b.addr, { clusterId: CLUSTER, from: 'a', messages: [{ ...good, type: 'RAFT_MESSAGE_UNSPECIFIED' }] });
    expect(untyped.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(untyped.details).toContain('messages[0].type');
    expect(b.received).toEqual([]);
  });

  it.each([
    ['a message whose from is not the sender', { from: 'c' }, GrpcStatus.INVALID_ARGUMENT, 'malformed raft message: messages[0].from c is not the sender a'],
    ['a message addressed to another manager', { to: 'c' }, GrpcStatus.FAILED_PRECONDITION, 'misaddressed raft message: messages[0].to is c but this manager is b'],
  ])('refuses %s', async (_what, change, code, details) => {
    const b = await member('b');
    b.transport.setPeer('a', '127.0.0.1:1');
    const message = { ...encodeMessage(newMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 1 }) as PeerMessage), ...change };
    expect(await rawSend(b.addr, { clusterId: CLUSTER, from: 'a', messages: [message] })).toEqual({ code, details });
    expect(b.received).toEqual([]);
  });

  it('reports a peer that is down as unreachable and reaches it again once it is back', async () => {
    const [a, b] = await Promise.all([member('a'), member('b')]);
    connect(a, b);
    const beat = (term: number) => newMessage({ type: 'heartbeat', from: 'a', to: 'b', term });
    a.transport.send([beat(1)]);
    await vi.waitFor(() => expect(b.received).toHaveLength(1), poll);

    await shutdown(b);
    await vi.waitFor(() => {
      a.transport.send([beat(2)]); // Raft keeps sending heartbeats to a peer it cannot reach
      expect(a.unreachable).toContain('b');
    }, poll);

    const back = await member('b', b.addr);
    back.transport.setPeer('a', a.addr);
    await vi.waitFor(() => {
      a.transport.send([beat(3)]);
      expect(back.received.map((m) => m.term)).toContain(3);
    }, poll);
  });

  it('stops waiting out its backoff to a peer that has come back and speaks to it first', { timeout: 20_000 }, async () => {
    // A backoff far longer than the test waits: only the peer's own message can end it.
    const a = await member('a', '127.0.0.1:0', { backoffInitialMs: 10_000, backoffMaxMs: 10_000 });
    const b = await member('b');
    connect(a, b);
    const beat = (term: number) => newMessage({ type: 'heartbeat', from: 'a', to: 'b', term });
    a.transport.send([beat(1)]);
    await vi.waitFor(() => expect(b.received).toHaveLength(1), poll);
    await shutdown(b);
    await vi.waitFor(() => {
      a.transport.send([beat(2)]);
      expect(a.unreachable).toContain('b');
    }, poll);

    const back = await member('b', b.addr);
    back.transport.setPeer('a', a.addr);
    back.transport.send([newMessage({ type: 'heartbeat-response', from: 'b', to: 'a', term: 3 })]);
    await vi.waitFor(() => expect(a.received.some((m) => m.from === 'b')).toBe(true), poll);
    a.transport.send([beat(3)]);
    await vi.waitFor(() => expect(back.received.map((m) => m.term)).toContain(3), { timeout: 3_000, interval: 20 });
  });
});

/** The TCP sockets and the timers of this process. */
function handles(): { sockets: number; timers: number } {
  const kinds = process.getActiveResourcesInfo();
  return { sockets: kinds.filter((k) => k.startsWith('TCP')).length, timers: kinds.filter((k) => k === 'Timeout').length };
}
