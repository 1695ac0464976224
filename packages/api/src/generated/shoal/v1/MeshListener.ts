// Original file: proto/shoal/v1/objects.proto

import type { Long } from '@grpc/proto-loader';

export interface MeshListenerInput {
  'addr'?: (string);
  'protocol'?: (string);
  'serviceName'?: (string);
  'active'?: (number | string | Long);
  'total'?: (number | string | Long);
  'failures'?: (number | string | Long);
  'bytesIn'?: (number | string | Long);
  'bytesOut'?: (number | string | Long);
  'error'?: (string);
}

export interface MeshListener {
  'addr': (string);
  'protocol': (string);
  'serviceName': (string);
  'active': (number);
  'total': (number);
  'failures': (number);
  'bytesIn': (number);
  'bytesOut': (number);
  'error': (string);
}
