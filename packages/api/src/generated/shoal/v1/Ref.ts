// Original file: proto/shoal/v1/control.proto


export interface RefInput {
  'ref'?: (string);
}

export interface Ref {
  'ref': (string);
}
