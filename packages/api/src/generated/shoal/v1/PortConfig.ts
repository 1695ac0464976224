// Original file: proto/shoal/v1/objects.proto


export interface PortConfigInput {
  'protocol'?: (string);
  'targetPort'?: (number);
  'publishedPort'?: (number);
  'publishMode'?: (string);
}

export interface PortConfig {
  'protocol': (string);
  'targetPort': (number);
  'publishedPort': (number);
  'publishMode': (string);
}
