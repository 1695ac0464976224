import { crc32 } from 'node:zlib';
import type { ConfState, Entry, EntryType, HardState, Snapshot, SnapshotMetadata } from '../core/index.js';

/**
 * Binary records of the stored log. Every record is `crc32 (u32 BE) | payload`, the checksum over the payload, so
 * that a flipped bit or a torn value is found when the log is opened instead of being replayed.
 *   run:        count (u32) | count × [index (u64) | term (u64) | type (u8: 0 normal, 1 conf) | length (u32) | data]
 *               (the entries of one write, one record: a key and a checksum per entry cost more than the fsync)
 *   hard state: JSON { term, vote, commit }
 *   snapshot:   metadata length (u32) | metadata JSON { index, term, confState } | data
 */

/** Why a stored record cannot be read; the loader names the record. */
export class RecordError extends Error {
  constructor(readonly reason: 'is truncated' | 'fails its checksum' | 'is malformed') {
    super(reason);
  }
}

const CRC_SIZE = 4;
const RUN_HEADER = 4;
const ENTRY_HEADER = 8 + 8 + 1 + 4;
const TWO_32 = 2 ** 32;
const ENTRY_TYPES: readonly EntryType[] = ['normal', 'conf'];

function seal(payloadSize: number, fill: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = new Uint8Array(CRC_SIZE + payloadSize);
  const payload = bytes.subarray(CRC_SIZE);
  fill(new DataView(payload.buffer, payload.byteOffset, payload.byteLength), payload);
  new DataView(bytes.buffer).setUint32(0, crc32(payload));
  return bytes;
}

/** The payload of a record whose checksum holds. */
function unseal(record: Uint8Array, minPayload: number): { view: DataView; payload: Uint8Array } {
  if (record.byteLength < CRC_SIZE + minPayload) throw new RecordError('is truncated');
  const payload = record.subarray(CRC_SIZE);
  const stored = new DataView(record.buffer, record.byteOffset, CRC_SIZE).getUint32(0);
  if (crc32(payload) !== stored) throw new RecordError('fails its checksum');
  return { view: new DataView(payload.buffer, payload.byteOffset, payload.byteLength), payload };
}

function setU64(view: DataView, at: number, n: number): void {
  view.setUint32(at, Math.floor(n / TWO_32));
  view.setUint32(at + 4, n >>> 0);
}

function getU64(view: DataView, at: number): number {
  const n = view.getUint32(at) * TWO_32 + view.getUint32(at + 4);
  if (!Number.isSafeInteger(n)) throw new RecordError('is malformed');
  return n;
}

export function encodeRun(entries: readonly Entry[]): Uint8Array {
  const size = entries.reduce((n, e) => n + ENTRY_HEADER + e.data.byteLength, RUN_HEADER);
  return seal(size, (view, bytes) => {
    view.setUint32(0, entries.length);
    let at = RUN_HEADER;
    for (const e of entries) {
      setU64(view, at, e.index);
      setU64(view, at + 8, e.term);
      view.setUint8(at + 16, ENTRY_TYPES.indexOf(e.type));
      view.setUint32(at + 17, e.data.byteLength);
      bytes.set(e.data, at + ENTRY_HEADER);
      at += ENTRY_HEADER + e.data.byteLength;
    }
  });
}

export function decodeRun(record: Uint8Array): Entry[] {
  const { view, payload } = unseal(record, RUN_HEADER);
  const count = view.getUint32(0);
  const entries: Entry[] = [];
  let at = RUN_HEADER;
  for (let i = 0; i < count; i++) {
    if (at + ENTRY_HEADER > payload.byteLength) throw new RecordError('is malformed');
    const type = ENTRY_TYPES[view.getUint8(at + 16)];
    const length = view.getUint32(at + 17);
    const end = at + ENTRY_HEADER + length;
    if (!type || end > payload.byteLength) throw new RecordError('is malformed');
    // A plain view, not a Buffer, over the stored bytes: entries compare equal whether read back or just written.
    const data = new Uint8Array(payload.buffer, payload.byteOffset + at + ENTRY_HEADER, length);
    entries.push({ index: getU64(view, at), term: getU64(view, at + 8), type, data });
    at = end;
  }
  if (count === 0 || at !== payload.byteLength) throw new RecordError('is malformed');
  return entries;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function encodeJson(value: unknown): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(value));
  return seal(json.byteLength, (_view, bytes) => bytes.set(json));
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new RecordError('is malformed');
  }
}

export function encodeHardState(hs: HardState): Uint8Array {
  return encodeJson({ term: hs.term, vote: hs.vote, commit: hs.commit });
}

export function decodeHardState(record: Uint8Array): HardState {
  const v = parseJson(unseal(record, 0).payload) as Partial<Record<keyof HardState, unknown>> | null;
  if (!v || !isCount(v.term) || typeof v.vote !== 'string' || !isCount(v.commit)) throw new RecordError('is malformed');
  return { term: v.term, vote: v.vote, commit: v.commit };
}

export function encodeSnapshot(s: Snapshot): Uint8Array {
  const { index, term, confState } = s.metadata;
  const meta = new TextEncoder().encode(JSON.stringify({ index, term, confState: { voters: confState.voters } }));
  return seal(4 + meta.byteLength + s.data.byteLength, (view, bytes) => {
    view.setUint32(0, meta.byteLength);
    bytes.set(meta, 4);
    bytes.set(s.data, 4 + meta.byteLength);
  });
}

export function decodeSnapshot(record: Uint8Array): Snapshot {
  const { view, payload } = unseal(record, 4);
  const metaEnd = 4 + view.getUint32(0);
  if (metaEnd > payload.byteLength) throw new RecordError('is malformed');
  const v = parseJson(payload.subarray(4, metaEnd)) as Partial<Record<keyof SnapshotMetadata, unknown>> | null;
  const voters = (v?.confState as Partial<ConfState> | undefined)?.voters;
  if (!v || !isCount(v.index) || !isCount(v.term) || !Array.isArray(voters) || !voters.every((id) => typeof id === 'string')) {
    throw new RecordError('is malformed');
  }
  const data = new Uint8Array(payload.buffer, payload.byteOffset + metaEnd, payload.byteLength - metaEnd);
  return { metadata: { index: v.index, term: v.term, confState: { voters } }, data };
}
