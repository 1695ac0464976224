// Original file: proto/shoal/v1/objects.proto

import type { PortConfigInput as _shoal_v1_PortConfigInput, PortConfig as _shoal_v1_PortConfig } from '../../shoal/v1/PortConfig.js';

export interface EndpointSpecInput {
  'ports'?: (_shoal_v1_PortConfigInput)[];
}

export interface EndpointSpec {
  'ports': (_shoal_v1_PortConfig)[];
}
