// Original file: proto/shoal/v1/control.proto

import type { TaskInput as _shoal_v1_TaskInput, Task as _shoal_v1_Task } from '../../shoal/v1/Task.js';

export interface TaskListInput {
  'tasks'?: (_shoal_v1_TaskInput)[];
}

export interface TaskList {
  'tasks': (_shoal_v1_Task)[];
}
