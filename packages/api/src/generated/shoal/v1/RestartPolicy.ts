// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface RestartPolicyInput {
  'condition'?: (string);
  'delayMs'?: (number | string | Long);
  'maxAttempts'?: (number | string | Long);
  'windowMs'?: (number | string | Long);
}

export interface RestartPolicy {
  'condition': (string);
  'delayMs': (number);
  'maxAttempts': (number);
  'windowMs': (number);
}
