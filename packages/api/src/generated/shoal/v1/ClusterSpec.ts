// Original file: proto/shoal/v1/objects.proto

import type { RaftTimingInput as _shoal_v1_RaftTimingInput, RaftTiming as _shoal_v1_RaftTiming } from '../../shoal/v1/RaftTiming.js';
import type { Long } from '@grpc/proto-loader';

export interface ClusterSpecInput {
  'name'?: (string);
  'heartbeatPeriodMs'?: (number | string | Long);
  'taskHistoryLimit'?: (number | string | Long);
  'raft'?: (_shoal_v1_RaftTimingInput | null);
}

export interface ClusterSpec {
  'name': (string);
  'heartbeatPeriodMs': (number);
  'taskHistoryLimit': (number);
  'raft': (_shoal_v1_RaftTiming);
}
