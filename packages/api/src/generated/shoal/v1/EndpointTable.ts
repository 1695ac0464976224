// Original file: proto/shoal/v1/dispatcher.proto

import type { EndpointInput as _shoal_v1_EndpointInput, Endpoint as _shoal_v1_Endpoint } from '../../shoal/v1/Endpoint.js';
import type { BackendChangeInput as _shoal_v1_BackendChangeInput, BackendChange as _shoal_v1_BackendChange } from '../../shoal/v1/BackendChange.js';

export interface EndpointTableInput {
  'full'?: (boolean);
  'endpoints'?: (_shoal_v1_EndpointInput)[];
  'removedServices'?: (string)[];
  'backendChanges'?: (_shoal_v1_BackendChangeInput)[];
}

export interface EndpointTable {
  'full': (boolean);
  'endpoints': (_shoal_v1_Endpoint)[];
  'removedServices': (string)[];
  'backendChanges': (_shoal_v1_BackendChange)[];
}
