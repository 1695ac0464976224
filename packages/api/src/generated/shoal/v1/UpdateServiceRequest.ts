// Original file: proto/shoal/v1/control.proto

import type { ServiceSpecInput as _shoal_v1_ServiceSpecInput, ServiceSpec as _shoal_v1_ServiceSpec } from '../../shoal/v1/ServiceSpec.js';
import type { Long } from '@grpc/proto-loader';

export interface UpdateServiceRequestInput {
  'ref'?: (string);
  'version'?: (number | string | Long);
  'spec'?: (_shoal_v1_ServiceSpecInput | null);
  'rollback'?: (boolean);
}

export interface UpdateServiceRequest {
  'ref': (string);
  'version': (number);
  'spec': (_shoal_v1_ServiceSpec);
  'rollback': (boolean);
}
