// Original file: proto/shoal/v1/control.proto


export interface ManagerMemberInput {
  'nodeId'?: (string);
  'addr'?: (string);
  'leader'?: (boolean);
  'reachability'?: (string);
}

export interface ManagerMember {
  'nodeId': (string);
  'addr': (string);
  'leader': (boolean);
  'reachability': (string);
}
