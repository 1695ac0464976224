// Original file: proto/shoal/v1/objects.proto

import type { MountInput as _shoal_v1_MountInput, Mount as _shoal_v1_Mount } from '../../shoal/v1/Mount.js';
import type { HealthConfigInput as _shoal_v1_HealthConfigInput, HealthConfig as _shoal_v1_HealthConfig } from '../../shoal/v1/HealthConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface ContainerSpecInput {
  'image'?: (string);
  'command'?: (string)[];
  'args'?: (string)[];
  'env'?: (string)[];
  'labels'?: ({[key: string]: string});
  'hostname'?: (string);
  'dir'?: (string);
  'user'?: (string);
  'mounts'?: (_shoal_v1_MountInput)[];
  'stopGracePeriodMs'?: (number | string | Long);
  'healthcheck'?: (_shoal_v1_HealthConfigInput | null);
}

export interface ContainerSpec {
  'image': (string);
  'command': (string)[];
  'args': (string)[];
  'env': (string)[];
  'labels': ({[key: string]: string});
  'hostname': (string);
  'dir': (string);
  'user': (string);
  'mounts': (_shoal_v1_Mount)[];
  'stopGracePeriodMs': (number);
  'healthcheck': (_shoal_v1_HealthConfig);
}
