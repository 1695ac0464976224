// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface UpdateStatusInput {
  'state'?: (string);
  'startedAt'?: (number | string | Long);
  'completedAt'?: (number | string | Long);
  'message'?: (string);
}

export interface UpdateStatus {
  'state': (string);
  'startedAt': (number);
  'completedAt': (number);
  'message': (string);
}
