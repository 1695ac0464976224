// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateConfigInput {
  'parallelism'?: (number | string | Long);
  'delayMs'?: (number | string | Long);
  'failureAction'?: (string);
  'monitorMs'?: (number | string | Long);
  'maxFailureRatio'?: (number | string);
  'order'?: (string);
}

export interface UpdateConfig {
  'parallelism': (number);
  'delayMs': (number);
  'failureAction': (string);
  'monitorMs': (number);
  'maxFailureRatio': (number);
  'order': (string);
}
