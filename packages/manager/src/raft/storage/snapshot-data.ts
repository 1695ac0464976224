import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';
import type { Snapshot } from '../core/index.js';

const deflate = promisify(deflateRaw);
const LENGTH_SIZE = 8;

/**
 * A snapshot's data is the whole state machine (100,000 tasks: ~130 MB of JSON), and the log keeps the latest one
 * for a follower that falls behind. Stored and held deflated (JSON shrinks ~10×), compressed off the event loop;
 * the full bytes exist only while something reads `data` (a restart, a snapshot sent to a follower).
 * Packed layout: the data's length (u64 BE) | the data, deflated.
 */
export async function packSnapshot(snapshot: Snapshot): Promise<Snapshot> {
  // Level 1: the ratio is nearly the same on JSON and the write that waits for it is several times shorter.
  const deflated = await deflate(snapshot.data, { level: 1 });
  const data = new Uint8Array(LENGTH_SIZE + deflated.length);
  new DataView(data.buffer).setBigUint64(0, BigInt(snapshot.data.byteLength));
  data.set(deflated, LENGTH_SIZE);
  return { metadata: snapshot.metadata, data };
}

/**
 * The snapshot a packed one stands for: reading `data` inflates the packed bytes, and the same bytes serve every read
 * while anything still holds them (a send reads `data` more than once), without keeping them alive.
 */
export function unpackedView(packed: Snapshot): Snapshot {
  let inflated: WeakRef<Uint8Array> | undefined;
  return {
    metadata: packed.metadata,
    get data(): Uint8Array {
      const held = inflated?.deref();
      if (held) return held;
      const bytes = inflate(packed.data);
      inflated = new WeakRef(bytes);
      return bytes;
    },
  };
}

function inflate(packed: Uint8Array): Uint8Array {
  const length = Number(new DataView(packed.buffer, packed.byteOffset, packed.byteLength).getBigUint64(0));
  // One output chunk of the exact size: no copies, and one allocation the allocator gives back when it is freed.
  const bytes = inflateRawSync(packed.subarray(LENGTH_SIZE), { chunkSize: Math.max(64, length) });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
