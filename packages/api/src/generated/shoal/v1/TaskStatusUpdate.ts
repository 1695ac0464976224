// Original file: proto/shoal/v1/dispatcher.proto

import type { TaskStatusInput as _shoal_v1_TaskStatusInput, TaskStatus as _shoal_v1_TaskStatus } from '../../shoal/v1/TaskStatus.js';

export interface TaskStatusUpdateInput {
  'taskId'?: (string);
  'status'?: (_shoal_v1_TaskStatusInput | null);
}

export interface TaskStatusUpdate {
  'taskId': (string);
  'status': (_shoal_v1_TaskStatus);
}
