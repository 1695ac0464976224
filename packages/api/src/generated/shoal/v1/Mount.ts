// Original file: proto/shoal/v1/objects.proto


export interface MountInput {
  'type'?: (string);
  'source'?: (string);
  'target'?: (string);
  'readOnly'?: (boolean);
}

export interface Mount {
  'type': (string);
  'source': (string);
  'target': (string);
  'readOnly': (boolean);
}
