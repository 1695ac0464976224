// Original file: proto/shoal/v1/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisteredInput {
  'nodeId'?: (string);
  'nodeSecret'?: (string);
  'heartbeatPeriodMs'?: (number | string | Long);
}

export interface Registered {
  'nodeId': (string);
  'nodeSecret': (string);
  'heartbeatPeriodMs': (number);
}
