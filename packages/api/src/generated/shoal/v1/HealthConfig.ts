// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface HealthConfigInput {
  'test'?: (string)[];
  'intervalMs'?: (number | string | Long);
  'timeoutMs'?: (number | string | Long);
  'retries'?: (number);
  'startPeriodMs'?: (number | string | Long);
}

export interface HealthConfig {
  'test': (string)[];
  'intervalMs': (number);
  'timeoutMs': (number);
  'retries': (number);
  'startPeriodMs': (number);
}
