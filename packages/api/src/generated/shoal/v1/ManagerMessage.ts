// Original file: proto/shoal/v1/dispatcher.proto

import type { RegisteredInput as _shoal_v1_RegisteredInput, Registered as _shoal_v1_Registered } from '../../shoal/v1/Registered.js';
import type { AssignmentsInput as _shoal_v1_AssignmentsInput, Assignments as _shoal_v1_Assignments } from '../../shoal/v1/Assignments.js';

export interface ManagerMessageInput {
  'registered'?: (_shoal_v1_RegisteredInput | null);
  'assignments'?: (_shoal_v1_AssignmentsInput | null);
  'msg'?: "registered"|"assignments";
}

export interface ManagerMessage {
  'registered'?: (_shoal_v1_Registered);
  'assignments'?: (_shoal_v1_Assignments);
  'msg'?: "registered"|"assignments";
}
