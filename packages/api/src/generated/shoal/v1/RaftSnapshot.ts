// Original file: proto/shoal/v1/raft.proto

import type { RaftSnapshotMetadataInput as _shoal_v1_RaftSnapshotMetadataInput, RaftSnapshotMetadata as _shoal_v1_RaftSnapshotMetadata } from '../../shoal/v1/RaftSnapshotMetadata.js';

export interface RaftSnapshotInput {
  'metadata'?: (_shoal_v1_RaftSnapshotMetadataInput | null);
  'data'?: (Buffer | Uint8Array | string);
}

export interface RaftSnapshot {
  'metadata': (_shoal_v1_RaftSnapshotMetadata);
  'data': (Buffer);
}
