import { FailedPreconditionError } from '@shoal/api';
import { decodeConfChange, NO_NODE, type NodeId, type Snapshot } from './core/index.js';
import { decodeActions, decodeSnapshotData, encodeSnapshotData } from './entry-codec.js';
import type { LevelStorage } from './storage/index.js';
import { MemoryStore } from '../store/index.js';

/**
 * Rewrites the Raft log in `storage` so that a RaftDriver started on it is the only voter of a new one-manager
 * cluster and leads at once (`shoal manager --force-new-cluster`). The state kept is the stored snapshot's plus every
 * entry after it, committed or not: this manager cannot know which of its uncommitted entries the lost majority had
 * committed, and keeping them all loses nothing acknowledged (as etcd and swarmkit do).
 *
 * The whole log becomes one snapshot at a fresh index past the last entry, written with its hard state in one synced
 * batch, so a crash leaves either the old log or the new one. Running it again on the result works (nothing is removed).
 * Returns the new snapshot's index and the voters dropped from the configuration.
 */
export async function forceNewCluster(storage: LevelStorage, self: { id: NodeId; addr: string }): Promise<{ index: number; removed: NodeId[] }> {
  const last = storage.lastIndex();
  if (last === 0) throw new FailedPreconditionError(`data dir ${storage.dir} holds no Raft log: there is no cluster to restart`);

  const old = storage.snapshot();
  const store = new MemoryStore({
    setApplier: () => undefined,
    propose: () => Promise.reject(new FailedPreconditionError('the store of a forced new cluster is replayed, not written')),
  });
  const { state } = decodeSnapshotData(old.data, old.metadata.index);
  // An empty state is the empty store of a cluster's founding snapshot.
  store.restoreSnapshot(state, old.metadata.index);

  const voters = new Set(old.metadata.confState.voters);
  let lastTerm = old.metadata.term;
  for (const entry of storage.entries(storage.firstIndex(), last + 1)) {
    lastTerm = entry.term;
    if (entry.type === 'conf') {
      const change = decodeConfChange(entry.data);
      if (change.type === 'add-node') voters.add(change.nodeId);
      else voters.delete(change.nodeId);
    } else if (entry.data.length > 0) {
      // Empty entries are a new leader's term markers; the store never sees them.
      store.applyCommitted(decodeActions(entry.data, entry.index), entry.index);
    }
  }
  if (!voters.has(self.id)) {
    throw new FailedPreconditionError(
      `data dir ${storage.dir}: ${self.id} is not a voter in its Raft log (voters: ${[...voters].join(', ') || 'none'}); cannot force a new cluster from it`,
    );
  }

  const { hardState } = storage.initialState();
  const term = Math.max(hardState.term, lastTerm);
  const index = last + 1;
  const snapshot: Snapshot = {
    metadata: { index, term, confState: { voters: [self.id] } },
    data: encodeSnapshotData({ peers: new Map([[self.id, self.addr]]), state: store.encodeSnapshot() }),
  };
  // The vote is kept within its term (a vote is never changed in a term); the driver campaigns in the next one.
  const vote = term === hardState.term ? hardState.vote : NO_NODE;
  await storage.save({ snapshot, entries: [], hardState: { term, vote, commit: index } });
  return { index, removed: [...voters].filter((id) => id !== self.id) };
}
