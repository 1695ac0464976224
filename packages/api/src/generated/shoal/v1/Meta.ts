// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface MetaInput {
  'version'?: (number | string | Long);
  'createdAt'?: (number | string | Long);
  'updatedAt'?: (number | string | Long);
}

export interface Meta {
  'version': (number);
  'createdAt': (number);
  'updatedAt': (number);
}
