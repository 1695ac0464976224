import { RaftError, type NodeId } from './core/index.js';
import type { StoreAction } from '../store/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One normal entry holds one store transaction, as JSON. */
export function encodeActions(actions: readonly StoreAction[]): Uint8Array {
  return encoder.encode(JSON.stringify(actions));
}

export function decodeActions(data: Uint8Array, index: number): StoreAction[] {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(data));
    if (Array.isArray(parsed)) return parsed as StoreAction[];
  } catch {
    // reported below
  }
  throw new RaftError(`entry ${index} does not hold store actions`);
}

/**
 * A driver snapshot: the members' addresses (the core's ConfState names voters only, and a member restored from a
 * snapshot must reach them) followed by the state machine's own bytes.
 * Layout: 4-byte big-endian length of the peers JSON, the peers JSON, the state.
 */
export interface SnapshotData {
  readonly peers: ReadonlyMap<NodeId, string>;
  readonly state: Uint8Array;
}

export function encodeSnapshotData({ peers, state }: SnapshotData): Uint8Array {
  const head = encoder.encode(JSON.stringify(Object.fromEntries(peers)));
  const out = new Uint8Array(4 + head.length + state.length);
  new DataView(out.buffer).setUint32(0, head.length);
  out.set(head, 4);
  out.set(state, 4 + head.length);
  return out;
}

export function decodeSnapshotData(data: Uint8Array, index: number): SnapshotData {
  if (data.length === 0) return { peers: new Map(), state: data };
  const bad = () => new RaftError(`snapshot at index ${index} is corrupt`);
  if (data.length < 4) throw bad();
  const length = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
  if (4 + length > data.length) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data.subarray(4, 4 + length)));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const peers = new Map<NodeId, string>();
  for (const [id, addr] of Object.entries(parsed)) {
    if (typeof addr !== 'string') throw bad();
    peers.set(id, addr);
  }
  return { peers, state: data.subarray(4 + length) };
}
