// Original file: proto/shoal/v1/raft.proto


export interface RaftJoinRequestInput {
  'token'?: (string);
  'nodeId'?: (string);
  'addr'?: (string);
  'hostname'?: (string);
  'secretHash'?: (string);
}

export interface RaftJoinRequest {
  'token': (string);
  'nodeId': (string);
  'addr': (string);
  'hostname': (string);
  'secretHash': (string);
}
