// Original file: proto/shoal/v1/control.proto

import type { ServiceInput as _shoal_v1_ServiceInput, Service as _shoal_v1_Service } from '../../shoal/v1/Service.js';

export interface ServiceListInput {
  'services'?: (_shoal_v1_ServiceInput)[];
}

export interface ServiceList {
  'services': (_shoal_v1_Service)[];
}
