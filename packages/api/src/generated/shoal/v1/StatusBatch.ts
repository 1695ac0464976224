// Original file: proto/shoal/v1/dispatcher.proto

import type { TaskStatusUpdateInput as _shoal_v1_TaskStatusUpdateInput, TaskStatusUpdate as _shoal_v1_TaskStatusUpdate } from '../../shoal/v1/TaskStatusUpdate.js';

export interface StatusBatchInput {
  'updates'?: (_shoal_v1_TaskStatusUpdateInput)[];
}

export interface StatusBatch {
  'updates': (_shoal_v1_TaskStatusUpdate)[];
}
