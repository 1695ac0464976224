// Original file: proto/shoal/v1/objects.proto


export interface PlatformInput {
  'os'?: (string);
  'architecture'?: (string);
}

export interface Platform {
  'os': (string);
  'architecture': (string);
}
