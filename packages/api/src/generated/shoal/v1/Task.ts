// Original file: proto/shoal/v1/objects.proto

import type { MetaInput as _shoal_v1_MetaInput, Meta as _shoal_v1_Meta } from '../../shoal/v1/Meta.js';
import type { TaskSpecInput as _shoal_v1_TaskSpecInput, TaskSpec as _shoal_v1_TaskSpec } from '../../shoal/v1/TaskSpec.js';
import type { TaskStatusInput as _shoal_v1_TaskStatusInput, TaskStatus as _shoal_v1_TaskStatus } from '../../shoal/v1/TaskStatus.js';
import type { TaskStateInput as _shoal_v1_TaskStateInput, TaskState as _shoal_v1_TaskState } from '../../shoal/v1/TaskState.js';
import type { EndpointSpecInput as _shoal_v1_EndpointSpecInput, EndpointSpec as _shoal_v1_EndpointSpec } from '../../shoal/v1/EndpointSpec.js';
import type { RegistryAuthInput as _shoal_v1_RegistryAuthInput, RegistryAuth as _shoal_v1_RegistryAuth } from '../../shoal/v1/RegistryAuth.js';
import type { Long } from '@grpc/proto-loader';

export interface TaskInput {
  'id'?: (string);
  'meta'?: (_shoal_v1_MetaInput | null);
  'serviceId'?: (string);
  'serviceName'?: (string);
  'slot'?: (number | string | Long);
  'nodeId'?: (string);
  'spec'?: (_shoal_v1_TaskSpecInput | null);
  'status'?: (_shoal_v1_TaskStatusInput | null);
  'desiredState'?: (_shoal_v1_TaskStateInput);
  'endpoint'?: (_shoal_v1_EndpointSpecInput | null);
  'registryAuth'?: (_shoal_v1_RegistryAuthInput | null);
  'startAt'?: (number | string | Long);
}

export interface Task {
  'id': (string);
  'meta': (_shoal_v1_Meta);
  'serviceId': (string);
  'serviceName': (string);
  'slot': (number);
  'nodeId': (string);
  'spec': (_shoal_v1_TaskSpec);
  'status': (_shoal_v1_TaskStatus);
  'desiredState': (_shoal_v1_TaskState);
  'endpoint': (_shoal_v1_EndpointSpec);
  'registryAuth': (_shoal_v1_RegistryAuth);
  'startAt': (number);
}
