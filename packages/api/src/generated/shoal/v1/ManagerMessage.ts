// Original file: proto/shoal/v1/dispatcher.proto

import type { RegisteredInput as _shoal_v1_RegisteredInput, Registered as _shoal_v1_Registered } from '../../shoal/v1/Registered.js';
import type { AssignmentsInput as _shoal_v1_AssignmentsInput, Assignments as _shoal_v1_Assignments } from '../../shoal/v1/Assignments.js';
import type { LogSubscriptionInput as _shoal_v1_LogSubscriptionInput, LogSubscription as _shoal_v1_LogSubscription } from '../../shoal/v1/LogSubscription.js';

export interface ManagerMessageInput {
  'registered'?: (_shoal_v1_RegisteredInput | null);
  'assignments'?: (_shoal_v1_AssignmentsInput | null);
  'logs'?: (_shoal_v1_LogSubscriptionInput | null);
  'msg'?: "registered"|"assignments"|"logs";
}

export interface ManagerMessage {
  'registered'?: (_shoal_v1_Registered);
  'assignments'?: (_shoal_v1_Assignments);
  'logs'?: (_shoal_v1_LogSubscription);
  'msg'?: "registered"|"assignments"|"logs";
}
