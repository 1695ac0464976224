// Original file: proto/shoal/v1/control.proto


export interface ListTasksRequestInput {
  'serviceRefs'?: (string)[];
  'nodeRefs'?: (string)[];
}

export interface ListTasksRequest {
  'serviceRefs': (string)[];
  'nodeRefs': (string)[];
}
