// Original file: proto/shoal/v1/objects.proto

import type { AnnotationsInput as _shoal_v1_AnnotationsInput, Annotations as _shoal_v1_Annotations } from '../../shoal/v1/Annotations.js';
import type { TaskSpecInput as _shoal_v1_TaskSpecInput, TaskSpec as _shoal_v1_TaskSpec } from '../../shoal/v1/TaskSpec.js';
import type { EndpointSpecInput as _shoal_v1_EndpointSpecInput, EndpointSpec as _shoal_v1_EndpointSpec } from '../../shoal/v1/EndpointSpec.js';
import type { RegistryAuthInput as _shoal_v1_RegistryAuthInput, RegistryAuth as _shoal_v1_RegistryAuth } from '../../shoal/v1/RegistryAuth.js';
import type { UpdateConfigInput as _shoal_v1_UpdateConfigInput, UpdateConfig as _shoal_v1_UpdateConfig } from '../../shoal/v1/UpdateConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface ServiceSpecInput {
  'annotations'?: (_shoal_v1_AnnotationsInput | null);
  'task'?: (_shoal_v1_TaskSpecInput | null);
  'mode'?: (string);
  'replicas'?: (number | string | Long);
  'endpoint'?: (_shoal_v1_EndpointSpecInput | null);
  'registryAuth'?: (_shoal_v1_RegistryAuthInput | null);
  'update'?: (_shoal_v1_UpdateConfigInput | null);
  'rollback'?: (_shoal_v1_UpdateConfigInput | null);
}

export interface ServiceSpec {
  'annotations': (_shoal_v1_Annotations);
  'task': (_shoal_v1_TaskSpec);
  'mode': (string);
  'replicas': (number);
  'endpoint': (_shoal_v1_EndpointSpec);
  'registryAuth': (_shoal_v1_RegistryAuth);
  'update': (_shoal_v1_UpdateConfig);
  'rollback': (_shoal_v1_UpdateConfig);
}
