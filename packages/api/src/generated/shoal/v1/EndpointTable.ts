// Original file: proto/shoal/v1/dispatcher.proto

import type { EndpointInput as _shoal_v1_EndpointInput, Endpoint as _shoal_v1_Endpoint } from '../../shoal/v1/Endpoint.js';

export interface EndpointTableInput {
  'full'?: (boolean);
  'endpoints'?: (_shoal_v1_EndpointInput)[];
  'removedServices'?: (string)[];
}

export interface EndpointTable {
  'full': (boolean);
  'endpoints': (_shoal_v1_Endpoint)[];
  'removedServices': (string)[];
}
