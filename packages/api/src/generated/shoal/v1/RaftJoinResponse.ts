// Original file: proto/shoal/v1/raft.proto

import type { RaftTimingInput as _shoal_v1_RaftTimingInput, RaftTiming as _shoal_v1_RaftTiming } from '../../shoal/v1/RaftTiming.js';

export interface RaftJoinResponseInput {
  'clusterId'?: (string);
  'members'?: ({[key: string]: string});
  'raft'?: (_shoal_v1_RaftTimingInput | null);
}

export interface RaftJoinResponse {
  'clusterId': (string);
  'members': ({[key: string]: string});
  'raft': (_shoal_v1_RaftTiming);
}
