// Original file: proto/shoal/v1/control.proto


export interface JoinTokenRequestInput {
  'role'?: (string);
  'rotate'?: (boolean);
}

export interface JoinTokenRequest {
  'role': (string);
  'rotate': (boolean);
}
