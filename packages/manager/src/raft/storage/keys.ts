/**
 * The on-disk layout of a Raft log in LevelDB (utf8 keys, binary values):
 *   e/<index>  a run: the entries of one write, from <index> on (zero-padded to 16 digits so that keys sort like
 *              indexes); runs follow each other without gaps, the first may start at or below the snapshot's index
 *   h          the hard state
 *   s          the latest snapshot (metadata and data); the log holds the entries after its index
 *   v          the layout's version (FORMAT_VERSION), written when the log is created
 */
export const HARD_STATE_KEY = 'h';
export const VERSION_KEY = 'v';
/** 2: entries stored in runs, snapshots deflated. 1 (no version key): one key per entry, snapshots whole. */
export const FORMAT_VERSION = '2';
export const SNAPSHOT_KEY = 's';

const ENTRY_PREFIX = 'e/';
/** Number.MAX_SAFE_INTEGER has 16 digits. */
const INDEX_WIDTH = 16;
const ENTRY_KEY = /^e\/(\d{16})$/;

export function entryKey(index: number): string {
  return ENTRY_PREFIX + String(index).padStart(INDEX_WIDTH, '0');
}

/** The index an entry (run) key names; undefined for any other key. */
export function entryIndexOf(key: string): number | undefined {
  const digits = ENTRY_KEY.exec(key)?.[1];
  const index = Number(digits);
  return Number.isSafeInteger(index) ? index : undefined;
}
