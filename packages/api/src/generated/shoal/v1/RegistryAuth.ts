// Original file: proto/shoal/v1/objects.proto


export interface RegistryAuthInput {
  'username'?: (string);
  'password'?: (string);
  'serverAddress'?: (string);
}

export interface RegistryAuth {
  'username': (string);
  'password': (string);
  'serverAddress': (string);
}
