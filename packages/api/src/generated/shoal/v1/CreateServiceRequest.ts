// Original file: proto/shoal/v1/control.proto

import type { ServiceSpecInput as _shoal_v1_ServiceSpecInput, ServiceSpec as _shoal_v1_ServiceSpec } from '../../shoal/v1/ServiceSpec.js';

export interface CreateServiceRequestInput {
  'spec'?: (_shoal_v1_ServiceSpecInput | null);
}

export interface CreateServiceRequest {
  'spec': (_shoal_v1_ServiceSpec);
}
