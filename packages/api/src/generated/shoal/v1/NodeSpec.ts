// Original file: proto/shoal/v1/objects.proto


export interface NodeSpecInput {
  'labels'?: ({[key: string]: string});
  'role'?: (string);
  'availability'?: (string);
}

export interface NodeSpec {
  'labels': ({[key: string]: string});
  'role': (string);
  'availability': (string);
}
