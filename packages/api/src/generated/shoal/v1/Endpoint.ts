// Original file: proto/shoal/v1/objects.proto

import type { BackendInput as _shoal_v1_BackendInput, Backend as _shoal_v1_Backend } from '../../shoal/v1/Backend.js';

export interface EndpointInput {
  'serviceId'?: (string);
  'serviceName'?: (string);
  'protocol'?: (string);
  'publishedPort'?: (number);
  'targetPort'?: (number);
  'backends'?: (_shoal_v1_BackendInput)[];
}

export interface Endpoint {
  'serviceId': (string);
  'serviceName': (string);
  'protocol': (string);
  'publishedPort': (number);
  'targetPort': (number);
  'backends': (_shoal_v1_Backend)[];
}
