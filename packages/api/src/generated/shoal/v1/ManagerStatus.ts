// Original file: proto/shoal/v1/objects.proto


export interface ManagerStatusInput {
  'addr'?: (string);
  'leader'?: (boolean);
  'reachability'?: (string);
}

export interface ManagerStatus {
  'addr': (string);
  'leader': (boolean);
  'reachability': (string);
}
