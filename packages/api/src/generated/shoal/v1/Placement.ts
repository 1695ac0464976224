// Original file: proto/shoal/v1/objects.proto


export interface PlacementInput {
  'constraints'?: (string)[];
}

export interface Placement {
  'constraints': (string)[];
}
