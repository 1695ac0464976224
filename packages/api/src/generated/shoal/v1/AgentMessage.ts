// Original file: proto/shoal/v1/dispatcher.proto

import type { RegisterInput as _shoal_v1_RegisterInput, Register as _shoal_v1_Register } from '../../shoal/v1/Register.js';
import type { HeartbeatInput as _shoal_v1_HeartbeatInput, Heartbeat as _shoal_v1_Heartbeat } from '../../shoal/v1/Heartbeat.js';
import type { StatusBatchInput as _shoal_v1_StatusBatchInput, StatusBatch as _shoal_v1_StatusBatch } from '../../shoal/v1/StatusBatch.js';
import type { LogBatchInput as _shoal_v1_LogBatchInput, LogBatch as _shoal_v1_LogBatch } from '../../shoal/v1/LogBatch.js';

export interface AgentMessageInput {
  'register'?: (_shoal_v1_RegisterInput | null);
  'heartbeat'?: (_shoal_v1_HeartbeatInput | null);
  'status'?: (_shoal_v1_StatusBatchInput | null);
  'logs'?: (_shoal_v1_LogBatchInput | null);
  'msg'?: "register"|"heartbeat"|"status"|"logs";
}

export interface AgentMessage {
  'register'?: (_shoal_v1_Register);
  'heartbeat'?: (_shoal_v1_Heartbeat);
  'status'?: (_shoal_v1_StatusBatch);
  'logs'?: (_shoal_v1_LogBatch);
  'msg'?: "register"|"heartbeat"|"status"|"logs";
}
