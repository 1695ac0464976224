import type { Entry, HardState, Snapshot, WritableStorage } from './core/index.js';

/** The parts of a Ready that must be on disk before its messages leave. */
export interface ReadyWrite {
  readonly compaction?: Snapshot;
  readonly snapshot?: Snapshot;
  readonly entries: readonly Entry[];
  readonly hardState?: HardState;
}

/** Where the driver persists each Ready: one write, synced, atomic (a LevelDB log does it in one batch). */
export interface RaftLog {
  save(write: ReadyWrite): Promise<void>;
}

/** A RaftLog over the core's WritableStorage (MemoryStorage in tests), writing the parts in the core's order. */
export function storageLog(storage: WritableStorage): RaftLog {
  return {
    async save(write) {
      if (write.compaction) await storage.compact(write.compaction);
      if (write.snapshot) await storage.applySnapshot(write.snapshot);
      await storage.append(write.entries);
      if (write.hardState) await storage.setHardState(write.hardState);
    },
  };
}
