// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateClusterRequestInput {
  'heartbeatPeriodMs'?: (number | string | Long);
  'taskHistoryLimit'?: (number | string | Long);
}

export interface UpdateClusterRequest {
  'heartbeatPeriodMs': (number);
  'taskHistoryLimit': (number);
}
