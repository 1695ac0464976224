// Original file: proto/shoal/v1/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface RaftSnapshotMetadataInput {
  'index'?: (number | string | Long);
  'term'?: (number | string | Long);
  'voters'?: (string)[];
}

export interface RaftSnapshotMetadata {
  'index': (number);
  'term': (number);
  'voters': (string)[];
}
