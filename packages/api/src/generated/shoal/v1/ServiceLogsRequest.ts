// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface ServiceLogsRequestInput {
  'ref'?: (string);
  'follow'?: (boolean);
  'tail'?: (number | string | Long);
  'since'?: (number | string | Long);
}

export interface ServiceLogsRequest {
  'ref': (string);
  'follow': (boolean);
  'tail': (number);
  'since': (number);
}
