// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface RaftTimingInput {
  'tickMs'?: (number | string | Long);
  'heartbeatTicks'?: (number);
  'electionTicks'?: (number);
}

export interface RaftTiming {
  'tickMs': (number);
  'heartbeatTicks': (number);
  'electionTicks': (number);
}
