// Original file: proto/shoal/v1/objects.proto


export interface BackendInput {
  'taskId'?: (string);
  'nodeId'?: (string);
  'addr'?: (string);
}

export interface Backend {
  'taskId': (string);
  'nodeId': (string);
  'addr': (string);
}
