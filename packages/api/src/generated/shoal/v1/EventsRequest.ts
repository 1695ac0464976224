// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

export interface EventsRequestInput {
  'since'?: (number | string | Long);
  'afterIndex'?: (number | string | Long);
  'types'?: (string)[];
  'services'?: (string)[];
  'nodes'?: (string)[];
  'actions'?: (string)[];
}

export interface EventsRequest {
  'since': (number);
  'afterIndex': (number);
  'types': (string)[];
  'services': (string)[];
  'nodes': (string)[];
  'actions': (string)[];
}
