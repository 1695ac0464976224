// The core's Message <-> the wire's RaftMessage. Decoding validates what the core takes on trust, so a malformed
// message from the network is refused with the field it got wrong instead of corrupting a log.
import { InvalidArgumentError, type RaftEntry, type RaftEntryType, type RaftMessage, type RaftMessageInput, type RaftMessageType } from '@shoal/api';
import type { Entry, EntryType, Message, PeerMessageType } from './core/index.js';

const WIRE_TYPES: Readonly<Record<PeerMessageType, RaftMessageType>> = {
  'append': 'RAFT_APPEND',
  'append-response': 'RAFT_APPEND_RESPONSE',
  'vote': 'RAFT_VOTE',
  'vote-response': 'RAFT_VOTE_RESPONSE',
  'pre-vote': 'RAFT_PRE_VOTE',
  'pre-vote-response': 'RAFT_PRE_VOTE_RESPONSE',
  'heartbeat': 'RAFT_HEARTBEAT',
  'heartbeat-response': 'RAFT_HEARTBEAT_RESPONSE',
  'snapshot': 'RAFT_SNAPSHOT',
  'timeout-now': 'RAFT_TIMEOUT_NOW',
};
const CORE_TYPES = new Map<string, PeerMessageType>(Object.entries(WIRE_TYPES).map(([core, wire]) => [wire, core as PeerMessageType]));

const WIRE_ENTRY_TYPES: Readonly<Record<EntryType, RaftEntryType>> = { normal: 'RAFT_ENTRY_NORMAL', conf: 'RAFT_ENTRY_CONF' };
const CORE_ENTRY_TYPES = new Map<string, EntryType>(Object.entries(WIRE_ENTRY_TYPES).map(([core, wire]) => [wire, core as EntryType]));

/** Encodes a message of a peer type; the caller keeps local messages (hup, beat, ...) off the network. */
export function encodeMessage(m: Message & { type: PeerMessageType }): RaftMessageInput {
  return {
    type: WIRE_TYPES[m.type],
    from: m.from,
    to: m.to,
    term: m.term,
    logTerm: m.logTerm,
    index: m.index,
    entries: m.entries.map((e) => ({ term: e.term, index: e.index, type: WIRE_ENTRY_TYPES[e.type], data: asBuffer(e.data) })),
    commit: m.commit,
    reject: m.reject,
    rejectHint: m.rejectHint,
    snapshot: m.snapshot && {
      metadata: { index: m.snapshot.metadata.index, term: m.snapshot.metadata.term, voters: [...m.snapshot.metadata.confState.voters] },
      data: asBuffer(m.snapshot.data),
    },
    context: m.context,
  };
}

/** Decodes and validates a message; `path` names it in errors (e.g. `messages[3]`). Throws InvalidArgumentError. */
export function decodeMessage(w: RaftMessage, path = 'message'): Message {
  const type = CORE_TYPES.get(w.type);
  if (!type) throw invalid(`${path}.type`, `${String(w.type)} is not a message type that travels between managers`);
  if (!w.from) throw invalid(`${path}.from`, 'is empty');
  if (!w.to) throw invalid(`${path}.to`, 'is empty');
  const message: Message = {
    type,
    from: w.from,
    to: w.to,
    term: count(w.term, `${path}.term`),
    logTerm: count(w.logTerm, `${path}.log_term`),
    index: count(w.index, `${path}.index`),
    entries: w.entries.map((e, i) => decodeEntry(e, `${path}.entries[${i}]`)),
    commit: count(w.commit, `${path}.commit`),
    reject: w.reject,
    rejectHint: count(w.rejectHint, `${path}.reject_hint`),
    context: w.context,
  };
  message.entries.forEach((e, i) => {
    // The core appends entries after `index` without checking they line up; a gap here would corrupt its log.
    if (e.index !== message.index + i + 1) throw invalid(`${path}.entries[${i}].index`, `${e.index} does not follow ${message.index + i}`);
  });
  if (type !== 'snapshot') return message;
  const { metadata, data } = w.snapshot;
  const snapshotPath = `${path}.snapshot.metadata`;
  const index = count(metadata.index, `${snapshotPath}.index`);
  if (index === 0) throw invalid(`${snapshotPath}.index`, 'is 0 on a snapshot message');
  if (metadata.voters.length === 0) throw invalid(`${snapshotPath}.voters`, 'is empty: a snapshot names the voters of its cluster');
  return {
    ...message,
    snapshot: { metadata: { index, term: count(metadata.term, `${snapshotPath}.term`), confState: { voters: metadata.voters } }, data: asBytes(data) },
  };
}

function decodeEntry(e: RaftEntry, path: string): Entry {
  const type = CORE_ENTRY_TYPES.get(e.type);
  if (!type) throw invalid(`${path}.type`, `${String(e.type)} is not an entry type`);
  return { term: count(e.term, `${path}.term`), index: count(e.index, `${path}.index`), type, data: asBytes(e.data) };
}

/** uint64 arrives as a Number: beyond 2^53 it is no longer exact, and no honest log gets there. */
function count(n: number, path: string): number {
  if (!Number.isSafeInteger(n)) throw invalid(path, `${n} is beyond 2^53`);
  return n;
}

function invalid(path: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(`malformed raft message: ${path} ${problem}`);
}

/** A view, no copy: protobufjs writes a Buffer with one memcpy but a plain Uint8Array byte by byte. */
function asBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** A copy, so an entry kept in the log does not pin the whole received frame it was sliced from. */
function asBytes(data: Buffer): Uint8Array {
  return new Uint8Array(data);
}
