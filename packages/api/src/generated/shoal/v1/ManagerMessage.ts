// Original file: proto/shoal/v1/dispatcher.proto

import type { RegisteredInput as _shoal_v1_RegisteredInput, Registered as _shoal_v1_Registered } from '../../shoal/v1/Registered.js';
import type { AssignmentsInput as _shoal_v1_AssignmentsInput, Assignments as _shoal_v1_Assignments } from '../../shoal/v1/Assignments.js';
import type { LogSubscriptionInput as _shoal_v1_LogSubscriptionInput, LogSubscription as _shoal_v1_LogSubscription } from '../../shoal/v1/LogSubscription.js';
import type { ManagersInput as _shoal_v1_ManagersInput, Managers as _shoal_v1_Managers } from '../../shoal/v1/Managers.js';

export interface ManagerMessageInput {
  'registered'?: (_shoal_v1_RegisteredInput | null);
  'assignments'?: (_shoal_v1_AssignmentsInput | null);
  'logs'?: (_shoal_v1_LogSubscriptionInput | null);
  'managers'?: (_shoal_v1_ManagersInput | null);
  'msg'?: "registered"|"assignments"|"logs"|"managers";
}

export interface ManagerMessage {
  'registered'?: (_shoal_v1_Registered);
  'assignments'?: (_shoal_v1_Assignments);
  'logs'?: (_shoal_v1_LogSubscription);
  'managers'?: (_shoal_v1_Managers);
  'msg'?: "registered"|"assignments"|"logs"|"managers";
}
