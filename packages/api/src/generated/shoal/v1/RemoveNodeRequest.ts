// Original file: proto/shoal/v1/control.proto


export interface RemoveNodeRequestInput {
  'ref'?: (string);
  'force'?: (boolean);
}

export interface RemoveNodeRequest {
  'ref': (string);
  'force': (boolean);
}
