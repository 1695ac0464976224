// Original file: proto/shoal/v1/dispatcher.proto

import type { RegisteredInput as _shoal_v1_RegisteredInput, Registered as _shoal_v1_Registered } from '../../shoal/v1/Registered.js';
import type { AssignmentsInput as _shoal_v1_AssignmentsInput, Assignments as _shoal_v1_Assignments } from '../../shoal/v1/Assignments.js';
import type { LogSubscriptionInput as _shoal_v1_LogSubscriptionInput, LogSubscription as _shoal_v1_LogSubscription } from '../../shoal/v1/LogSubscription.js';
import type { ManagersInput as _shoal_v1_ManagersInput, Managers as _shoal_v1_Managers } from '../../shoal/v1/Managers.js';
import type { PromoteInput as _shoal_v1_PromoteInput, Promote as _shoal_v1_Promote } from '../../shoal/v1/Promote.js';
import type { EndpointTableInput as _shoal_v1_EndpointTableInput, EndpointTable as _shoal_v1_EndpointTable } from '../../shoal/v1/EndpointTable.js';

export interface ManagerMessageInput {
  'registered'?: (_shoal_v1_RegisteredInput | null);
  'assignments'?: (_shoal_v1_AssignmentsInput | null);
  'logs'?: (_shoal_v1_LogSubscriptionInput | null);
  'managers'?: (_shoal_v1_ManagersInput | null);
  'promote'?: (_shoal_v1_PromoteInput | null);
  'endpoints'?: (_shoal_v1_EndpointTableInput | null);
  'msg'?: "registered"|"assignments"|"logs"|"managers"|"promote"|"endpoints";
}

export interface ManagerMessage {
  'registered'?: (_shoal_v1_Registered);
  'assignments'?: (_shoal_v1_Assignments);
  'logs'?: (_shoal_v1_LogSubscription);
  'managers'?: (_shoal_v1_Managers);
  'promote'?: (_shoal_v1_Promote);
  'endpoints'?: (_shoal_v1_EndpointTable);
  'msg'?: "registered"|"assignments"|"logs"|"managers"|"promote"|"endpoints";
}
