// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface ResourcesInput {
  'nanoCpus'?: (number | string | Long);
  'memoryBytes'?: (number | string | Long);
}

export interface Resources {
  'nanoCpus': (number);
  'memoryBytes': (number);
}
