// Original file: proto/shoal/v1/dispatcher.proto

import type { BackendInput as _shoal_v1_BackendInput, Backend as _shoal_v1_Backend } from '../../shoal/v1/Backend.js';

export interface BackendChangeInput {
  'serviceId'?: (string);
  'protocol'?: (string);
  'publishedPort'?: (number);
  'added'?: (_shoal_v1_BackendInput)[];
  'removed'?: (string)[];
}

export interface BackendChange {
  'serviceId': (string);
  'protocol': (string);
  'publishedPort': (number);
  'added': (_shoal_v1_Backend)[];
  'removed': (string)[];
}
