// Original file: proto/shoal/v1/control.proto


export interface UpdateNodeRequestInput {
  'ref'?: (string);
  'availability'?: (string);
  'labelAdd'?: ({[key: string]: string});
  'labelRm'?: (string)[];
  'role'?: (string);
}

export interface UpdateNodeRequest {
  'ref': (string);
  'availability': (string);
  'labelAdd': ({[key: string]: string});
  'labelRm': (string)[];
  'role': (string);
}
