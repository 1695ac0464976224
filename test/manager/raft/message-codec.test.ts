import { describe, expect, it } from 'vitest';
import { shoalProto, type RaftEnvelope } from '@shoal/api';
import { newMessage, type Message, type PeerMessageType } from '../../../packages/manager/src/raft/core/index.js';
import { decodeMessage, encodeMessage } from '../../../packages/manager/src/raft/message-codec.js';
import type { PeerMessage } from '../../../packages/manager/src/raft/peer-link.js';

const method = shoalProto().shoal.v1.Raft.service.Stream;
const bytes = (...b: number[]) => new Uint8Array(b);
const everyByte = new Uint8Array(256).map((_, i) => i);

/** Through the real wire: the same serializer and deserializer (with its default-filling) that gRPC uses. */
function overTheWire(m: PeerMessage): Message {
  const envelope: RaftEnvelope = method.requestDeserialize(method.requestSerialize({ clusterId: 'c', from: m.from, messages: [encodeMessage(m)] }));
  return decodeMessage(envelope.messages[0]!);
}

const peer = (fields: Partial<Message> & { type: PeerMessageType }) => newMessage(fields) as PeerMessage;

const cases: PeerMessage[] = [
  peer({
    type: 'append', from: 'n1', to: 'n2', term: 7, logTerm: 6, index: 41, commit: 40,
    entries: [
      { term: 6, index: 42, type: 'normal', data: everyByte },
      { term: 7, index: 43, type: 'conf', data: bytes(1, 2, 3) },
      { term: 7, index: 44, type: 'normal', data: bytes() },
    ],
  }),
  peer({ type: 'append-response', from: 'n2', to: 'n1', term: 7, index: 44 }),
  peer({ type: 'append-response', from: 'n2', to: 'n1', term: 7, index: 50, logTerm: 5, reject: true, rejectHint: 38 }),
  peer({ type: 'vote', from: 'n3', to: 'n1', term: 8, logTerm: 7, index: 44, context: 'transfer' }),
  peer({ type: 'vote-response', from: 'n1', to: 'n3', term: 8, reject: true }),
  peer({ type: 'pre-vote', from: 'n3', to: 'n2', term: 9, logTerm: 7, index: 44 }),
  peer({ type: 'pre-vote-response', from: 'n2', to: 'n3', term: 9 }),
  peer({ type: 'heartbeat', from: 'n1', to: 'n3', term: 7, commit: 44, context: 'read-1' }),
  peer({ type: 'heartbeat-response', from: 'n3', to: 'n1', term: 7, context: 'read-1' }),
  peer({
    type: 'snapshot', from: 'n1', to: 'n3', term: 7,
    snapshot: { metadata: { index: 2 ** 40, term: 6, confState: { voters: ['n1', 'n2', 'n3'] } }, data: everyByte },
  }),
  peer({ type: 'timeout-now', from: 'n1', to: 'n2', term: 7 }),
];

describe('raft message codec', () => {
  it('covers every message type that travels between managers', () => {
    expect(new Set(cases.map((c) => c.type)).size).toBe(10);
  });

  it.each(cases.map((m) => [m.type, m] as const))('round-trips %s intact, data as plain Uint8Array', (_type, m) => {
    const decoded = overTheWire(m);
    expect(decoded).toEqual(m);
    for (const e of decoded.entries) expect(Object.getPrototypeOf(e.data)).toBe(Uint8Array.prototype);
    if (decoded.snapshot) expect(Object.getPrototypeOf(decoded.snapshot.data)).toBe(Uint8Array.prototype);
  });

  const valid = encodeMessage(cases[0]!);
  const malformed: Array<[string, Record<string, unknown>, string]> = [
    ['a missing type', { type: 'RAFT_MESSAGE_UNSPECIFIED' }, 'message.type RAFT_MESSAGE_UNSPECIFIED is not a message type'],
    ['an unknown type number', { type: 99 }, 'message.type 99 is not a message type'],
    ['an empty from', { from: '' }, 'message.from is empty'],
    ['an empty to', { to: '' }, 'message.to is empty'],
    ['a term beyond 2^53', { term: '18446744073709551615' }, 'message.term 18446744073709552000 is beyond 2^53'],
    ['entries that do not follow index', { index: 40 }, 'message.entries[0].index 42 does not follow 40'],
    ['an unknown entry type', { entries: [{ term: 6, index: 42, type: 7 }] }, 'message.entries[0].type 7 is not an entry type'],
    ['a snapshot message without snapshot', { type: 'RAFT_SNAPSHOT', entries: [] }, 'message.snapshot.metadata.index is 0 on a snapshot message'],
    ['a snapshot without voters', { type: 'RAFT_SNAPSHOT', entries: [], snapshot: { metadata: { index: 5, term: 1 } } }, 'message.snapshot.metadata.voters is empty'],
  ];
  it.each(malformed)('refuses %s, naming the field', (_what, change, error) => {
    const envelope: RaftEnvelope = method.requestDeserialize(method.requestSerialize({ messages: [{ ...valid, ...change }] }));
    expect(() => decodeMessage(envelope.messages[0]!)).toThrow(expect.objectContaining({ name: 'InvalidArgumentError', message: expect.stringContaining(error) }));
  });
});
