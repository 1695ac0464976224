// Original file: proto/shoal/v1/dispatcher.proto

import type { TaskInput as _shoal_v1_TaskInput, Task as _shoal_v1_Task } from '../../shoal/v1/Task.js';

export interface AssignmentsInput {
  'full'?: (boolean);
  'tasks'?: (_shoal_v1_TaskInput)[];
  'removed'?: (string)[];
}

export interface Assignments {
  'full': (boolean);
  'tasks': (_shoal_v1_Task)[];
  'removed': (string)[];
}
