// Original file: proto/shoal/v1/dispatcher.proto

import type { MeshListenerInput as _shoal_v1_MeshListenerInput, MeshListener as _shoal_v1_MeshListener } from '../../shoal/v1/MeshListener.js';

export interface HeartbeatInput {
  'engineReady'?: (boolean);
  'engineMessage'?: (string);
  'mesh'?: (_shoal_v1_MeshListenerInput)[];
}

export interface Heartbeat {
  'engineReady': (boolean);
  'engineMessage': (string);
  'mesh': (_shoal_v1_MeshListener)[];
}
