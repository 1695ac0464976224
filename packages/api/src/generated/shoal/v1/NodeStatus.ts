// Original file: proto/shoal/v1/objects.proto


export interface NodeStatusInput {
  'state'?: (string);
  'message'?: (string);
  'addr'?: (string);
  'agent'?: (boolean);
  'managerListen'?: (string);
}

export interface NodeStatus {
  'state': (string);
  'message': (string);
  'addr': (string);
  'agent': (boolean);
  'managerListen': (string);
}
