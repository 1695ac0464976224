/** The Raft log on disk: LevelDB, checked on open, one synced write per Ready. */
export { LevelStorage } from './level-storage.js';
export { CorruptLogError } from './errors.js';
export type { PersistBatch } from './plan.js';
