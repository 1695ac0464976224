// Original file: proto/shoal/v1/control.proto

import type { ManagerMemberInput as _shoal_v1_ManagerMemberInput, ManagerMember as _shoal_v1_ManagerMember } from '../../shoal/v1/ManagerMember.js';
import type { RaftTimingInput as _shoal_v1_RaftTimingInput, RaftTiming as _shoal_v1_RaftTiming } from '../../shoal/v1/RaftTiming.js';
import type { Long } from '@grpc/proto-loader';

export interface InfoInput {
  'clusterId'?: (string);
  'nodeId'?: (string);
  'addr'?: (string);
  'isLeader'?: (boolean);
  'leaderAddr'?: (string);
  'nodes'?: (number);
  'services'?: (number);
  'tasks'?: (number);
  'heartbeatPeriodMs'?: (number | string | Long);
  'version'?: (string);
  'dataDir'?: (string);
  'leaderId'?: (string);
  'managers'?: (_shoal_v1_ManagerMemberInput)[];
  'raft'?: (_shoal_v1_RaftTimingInput | null);
}

export interface Info {
  'clusterId': (string);
  'nodeId': (string);
  'addr': (string);
  'isLeader': (boolean);
  'leaderAddr': (string);
  'nodes': (number);
  'services': (number);
  'tasks': (number);
  'heartbeatPeriodMs': (number);
  'version': (string);
  'dataDir': (string);
  'leaderId': (string);
  'managers': (_shoal_v1_ManagerMember)[];
  'raft': (_shoal_v1_RaftTiming);
}
