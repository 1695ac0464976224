// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface ContainerStatusInput {
  'containerId'?: (string);
  'pid'?: (number | string | Long);
  'exitCode'?: (number | string | Long);
  'startedAt'?: (number | string | Long);
}

export interface ContainerStatus {
  'containerId': (string);
  'pid': (number);
  'exitCode': (number);
  'startedAt': (number);
}
