// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface ClusterSpecInput {
  'name'?: (string);
  'heartbeatPeriodMs'?: (number | string | Long);
  'taskHistoryLimit'?: (number | string | Long);
}

export interface ClusterSpec {
  'name': (string);
  'heartbeatPeriodMs': (number);
  'taskHistoryLimit': (number);
}
