// Original file: proto/shoal/v1/objects.proto

import type { MetaInput as _shoal_v1_MetaInput, Meta as _shoal_v1_Meta } from '../../shoal/v1/Meta.js';
import type { ServiceSpecInput as _shoal_v1_ServiceSpecInput, ServiceSpec as _shoal_v1_ServiceSpec } from '../../shoal/v1/ServiceSpec.js';
import type { UpdateStatusInput as _shoal_v1_UpdateStatusInput, UpdateStatus as _shoal_v1_UpdateStatus } from '../../shoal/v1/UpdateStatus.js';
import type { EndpointInput as _shoal_v1_EndpointInput, Endpoint as _shoal_v1_Endpoint } from '../../shoal/v1/Endpoint.js';

export interface ServiceInput {
  'id'?: (string);
  'meta'?: (_shoal_v1_MetaInput | null);
  'spec'?: (_shoal_v1_ServiceSpecInput | null);
  'previousSpec'?: (_shoal_v1_ServiceSpecInput | null);
  'updateStatus'?: (_shoal_v1_UpdateStatusInput | null);
  'endpoints'?: (_shoal_v1_EndpointInput)[];
}

export interface Service {
  'id': (string);
  'meta': (_shoal_v1_Meta);
  'spec': (_shoal_v1_ServiceSpec);
  'previousSpec': (_shoal_v1_ServiceSpec);
  'updateStatus': (_shoal_v1_UpdateStatus);
  'endpoints': (_shoal_v1_Endpoint)[];
}
