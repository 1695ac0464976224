// Original file: proto/shoal/v1/dispatcher.proto


export interface PromoteInput {
  'token'?: (string);
  'joinAddr'?: (string);
}

export interface Promote {
  'token': (string);
  'joinAddr': (string);
}
