// Original file: proto/shoal/v1/raft.proto

import type { RaftMessageInput as _shoal_v1_RaftMessageInput, RaftMessage as _shoal_v1_RaftMessage } from '../../shoal/v1/RaftMessage.js';

export interface RaftEnvelopeInput {
  'clusterId'?: (string);
  'from'?: (string);
  'messages'?: (_shoal_v1_RaftMessageInput)[];
}

export interface RaftEnvelope {
  'clusterId': (string);
  'from': (string);
  'messages': (_shoal_v1_RaftMessage)[];
}
