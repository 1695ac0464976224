// Original file: proto/shoal/v1/objects.proto

import type { TaskStateInput as _shoal_v1_TaskStateInput, TaskState as _shoal_v1_TaskState } from '../../shoal/v1/TaskState.js';
import type { ContainerStatusInput as _shoal_v1_ContainerStatusInput, ContainerStatus as _shoal_v1_ContainerStatus } from '../../shoal/v1/ContainerStatus.js';
import type { PortConfigInput as _shoal_v1_PortConfigInput, PortConfig as _shoal_v1_PortConfig } from '../../shoal/v1/PortConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface TaskStatusInput {
  'timestamp'?: (number | string | Long);
  'state'?: (_shoal_v1_TaskStateInput);
  'message'?: (string);
  'err'?: (string);
  'container'?: (_shoal_v1_ContainerStatusInput | null);
  'ports'?: (_shoal_v1_PortConfigInput)[];
  'health'?: (string);
}

export interface TaskStatus {
  'timestamp': (number);
  'state': (_shoal_v1_TaskState);
  'message': (string);
  'err': (string);
  'container': (_shoal_v1_ContainerStatus);
  'ports': (_shoal_v1_PortConfig)[];
  'health': (string);
}
