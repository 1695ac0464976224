// Original file: proto/shoal/v1/raft.proto

import type { RaftEntryTypeInput as _shoal_v1_RaftEntryTypeInput, RaftEntryType as _shoal_v1_RaftEntryType } from '../../shoal/v1/RaftEntryType.js';
import type { Long } from '@grpc/proto-loader';

export interface RaftEntryInput {
  'term'?: (number | string | Long);
  'index'?: (number | string | Long);
  'type'?: (_shoal_v1_RaftEntryTypeInput);
  'data'?: (Buffer | Uint8Array | string);
}

export interface RaftEntry {
  'term': (number);
  'index': (number);
  'type': (_shoal_v1_RaftEntryType);
  'data': (Buffer);
}
