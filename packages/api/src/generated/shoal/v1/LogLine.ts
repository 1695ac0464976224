// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface LogLineInput {
  'taskId'?: (string);
  'nodeId'?: (string);
  'timestampNs'?: (number | string | Long);
  'stream'?: (string);
  'line'?: (string);
}

export interface LogLine {
  'taskId': (string);
  'nodeId': (string);
  'timestampNs': (number);
  'stream': (string);
  'line': (string);
}
