// Original file: proto/shoal/v1/raft.proto

import type { RaftMessageTypeInput as _shoal_v1_RaftMessageTypeInput, RaftMessageType as _shoal_v1_RaftMessageType } from '../../shoal/v1/RaftMessageType.js';
import type { RaftEntryInput as _shoal_v1_RaftEntryInput, RaftEntry as _shoal_v1_RaftEntry } from '../../shoal/v1/RaftEntry.js';
import type { RaftSnapshotInput as _shoal_v1_RaftSnapshotInput, RaftSnapshot as _shoal_v1_RaftSnapshot } from '../../shoal/v1/RaftSnapshot.js';
import type { Long } from '@grpc/proto-loader';

export interface RaftMessageInput {
  'type'?: (_shoal_v1_RaftMessageTypeInput);
  'from'?: (string);
  'to'?: (string);
  'term'?: (number | string | Long);
  'logTerm'?: (number | string | Long);
  'index'?: (number | string | Long);
  'entries'?: (_shoal_v1_RaftEntryInput)[];
  'commit'?: (number | string | Long);
  'reject'?: (boolean);
  'rejectHint'?: (number | string | Long);
  'snapshot'?: (_shoal_v1_RaftSnapshotInput | null);
  'context'?: (string);
}

export interface RaftMessage {
  'type': (_shoal_v1_RaftMessageType);
  'from': (string);
  'to': (string);
  'term': (number);
  'logTerm': (number);
  'index': (number);
  'entries': (_shoal_v1_RaftEntry)[];
  'commit': (number);
  'reject': (boolean);
  'rejectHint': (number);
  'snapshot': (_shoal_v1_RaftSnapshot);
  'context': (string);
}
