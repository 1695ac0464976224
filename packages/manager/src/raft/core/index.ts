/** The pure Raft core: no I/O, no timers, no clock, no randomness of its own. */
export { RawNode, type Ready, type Status, type PeerStatus } from './raw-node.js';
export type { RaftConfig } from './raft.js';
export { type ConfChange, encodeConfChange, decodeConfChange, InvalidConfChangeError } from './conf-change.js';
export { majority } from './quorum.js';
export {
  NO_NODE,
  TRANSFER_CONTEXT,
  EMPTY_HARD_STATE,
  newMessage,
  isLocalMessage,
  isEmptyHardState,
  type NodeId,
  type Entry,
  type EntryType,
  type ConfState,
  type Snapshot,
  type SnapshotMetadata,
  type HardState,
  type SoftState,
  type Role,
  type Message,
  type MessageType,
  type LocalMessageType,
  type PeerMessageType,
} from './messages.js';
export type { Storage, WritableStorage, InitialState } from './storage.js';
export { MemoryStorage } from './memory-storage.js';
export type { ProgressState } from './progress.js';
export {
  RaftError,
  CompactedError,
  EntryUnavailableError,
  SnapshotOutOfDateError,
  ProposalDroppedError,
  IllegalTransitionError,
  LogInvariantError,
  InvalidConfigError,
} from './errors.js';
