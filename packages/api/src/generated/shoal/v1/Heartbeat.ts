// Original file: proto/shoal/v1/dispatcher.proto


export interface HeartbeatInput {
  'engineReady'?: (boolean);
  'engineMessage'?: (string);
}

export interface Heartbeat {
  'engineReady': (boolean);
  'engineMessage': (string);
}
