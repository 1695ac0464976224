// Original file: proto/shoal/v1/raft.proto


export interface RaftJoinResponseInput {
  'clusterId'?: (string);
  'members'?: ({[key: string]: string});
}

export interface RaftJoinResponse {
  'clusterId': (string);
  'members': ({[key: string]: string});
}
