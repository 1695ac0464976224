// Original file: proto/shoal/v1/control.proto

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
}
