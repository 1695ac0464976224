// Original file: proto/shoal/v1/dispatcher.proto

import type { NodeDescriptionInput as _shoal_v1_NodeDescriptionInput, NodeDescription as _shoal_v1_NodeDescription } from '../../shoal/v1/NodeDescription.js';

export interface RegisterInput {
  'token'?: (string);
  'nodeId'?: (string);
  'nodeSecret'?: (string);
  'addr'?: (string);
  'description'?: (_shoal_v1_NodeDescriptionInput | null);
  'engineReady'?: (boolean);
  'engineMessage'?: (string);
  'managerListen'?: (string);
}

export interface Register {
  'token': (string);
  'nodeId': (string);
  'nodeSecret': (string);
  'addr': (string);
  'description': (_shoal_v1_NodeDescription);
  'engineReady': (boolean);
  'engineMessage': (string);
  'managerListen': (string);
}
