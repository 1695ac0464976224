// Original file: proto/shoal/v1/control.proto


export interface JoinTokenResponseInput {
  'token'?: (string);
  'addr'?: (string);
}

export interface JoinTokenResponse {
  'token': (string);
  'addr': (string);
}
